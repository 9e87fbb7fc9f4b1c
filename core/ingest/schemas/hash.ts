import { z } from 'zod';

/** RFC 6960 CertID hash algorithms logvault stores. */
export const hashAlgorithms = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type HashAlgorithm = (typeof hashAlgorithms)[number];

/** Hex length of each hash algorithm's digest. */
export const HASH_HEX_LENGTH: Record<HashAlgorithm, number> = {
  sha1: 40,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

const algorithmOfLength = new Map(
  Object.entries(HASH_HEX_LENGTH).map(([alg, length]) => [length, alg as HashAlgorithm]),
);

/** The algorithm whose digests have `hex`'s length, if any. */
export const hashAlgorithmOfLength = (hex: string) => algorithmOfLength.get(hex.length);

export const digestHex = (what: string) =>
  z
    .string()
    .regex(/^[0-9a-f]+$/, { message: 'must be lowercase hex' })
    .refine((s) => algorithmOfLength.has(s.length), {
      message: 'must be 40, 64, 96 or 128 hex characters (SHA-1/256/384/512)',
    })
    .describe(what);
