import { z } from 'zod';
import { TrustedKey, verifyDigestSignature } from './anchor/trusted-keys';
import { FINGERPRINT_PATTERN } from './anchor/fingerprint';
import { hourOfDigestKey } from './keys';
import { sha256Hex } from '../s3/objects';

export const DIGEST_FORMAT = 'logvault-digest/2';
/** User metadata of a digest object carrying its base64 DER signature. */
export const SIGNATURE_METADATA = 'signature';

const sealedEntry = z.strictObject({
  key: z.string(),
  versionId: z.string(),
  size: z.number().int().nonnegative(),
  /** Base64 SHA-256 of the object's bytes, as S3 reports it. */
  sha256: z.string(),
  retainUntil: z.iso.datetime(),
  lockMode: z.string(),
  sealedAt: z.iso.datetime(),
  /** Set for an object archived under the quarantine prefix: why it failed validation. */
  quarantineReason: z.string().optional(),
});
export type SealedEntry = z.infer<typeof sealedEntry>;

export const chainBreakKinds = [
  /** No digest exists for an hour after the last good one (an outage, or a digest purged). */
  'missing-digest',
  /** A digest's current version is a delete marker. */
  'deleted-digest',
  /** A digest key holds more than one version: something was written over it. */
  'replaced-digest',
  /** A digest that no trusted key signed (planted, edited, or signed by an unknown key). */
  'unsigned-digest',
  /** An object the previous digest listed is gone or no longer the current version. */
  'missing-object',
] as const;

const chainBreak = z.strictObject({
  kind: z.enum(chainBreakKinds),
  key: z.string(),
  versionId: z.string().optional(),
  detail: z.string(),
});
export type ChainBreak = z.infer<typeof chainBreak>;

/**
 * One hour of the chain: every archive version sealed (written) in that hour,
 * and the previous digest's key and hex SHA-256 of its exact bytes. Objects
 * sealed late (by the reconciler, days after they arrived) are listed in the
 * digest of the hour they were sealed in, whatever their key's hour. After a
 * break the digest links to the last good digest, lists everything sealed
 * since it, and records each break: the chain never fills a hole afterwards.
 */
export const digestSchema = z.strictObject({
  format: z.literal(DIGEST_FORMAT),
  archiveBucket: z.string(),
  hourStart: z.iso.datetime(),
  hourEnd: z.iso.datetime(),
  previous: z.strictObject({ key: z.string(), sha256: z.string() }).nullable(),
  /** Informational: the KMS key that signed. Verifiers select the key by fingerprint alone. */
  signingKeyId: z.string(),
  /** SHA-256 of the signing key's DER SubjectPublicKeyInfo, as in the published keyring. */
  signingKeyFingerprint: z.string().regex(FINGERPRINT_PATTERN),
  signatureAlgorithm: z.literal('ECDSA_SHA_256'),
  objects: z.array(sealedEntry),
  breaks: z.array(chainBreak),
});
export type Digest = z.infer<typeof digestSchema>;

/**
 * What is signed: the digest's key and the SHA-256 of its bytes. The previous
 * link is inside the bytes, so the signature covers the chain too.
 */
export function signingString(key: string, body: Uint8Array): Uint8Array {
  return Buffer.from(`${DIGEST_FORMAT}\n${key}\n${sha256Hex(body)}`, 'utf8');
}

/** Only the field needed to pick the key; nothing else is read before the signature checks. */
const signedHeader = z.object({ signingKeyFingerprint: z.string() });

export type OpenedDigest =
  | { readonly ok: true; readonly digest: Digest; readonly sha256: string }
  | {
      readonly ok: false;
      readonly reason: 'unknown-key' | 'key-not-valid' | 'bad-signature';
      readonly detail: string;
      readonly sha256: string;
    };

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A digest as read from the archive, trusted only once its signature checks
 * with the trusted key its fingerprint names (valid for its hour); its
 * objects, links and breaks are parsed only then.
 */
export function openDigest(
  keys: readonly TrustedKey[],
  archiveBucket: string,
  key: string,
  object: { body: Uint8Array; metadata: Record<string, string> },
): OpenedDigest {
  const sha256 = sha256Hex(object.body);
  const json = parseJson(object.body);
  const header = signedHeader.safeParse(json);
  if (!header.success)
    return { ok: false, reason: 'bad-signature', detail: `not a ${DIGEST_FORMAT}`, sha256 };
  const check = verifyDigestSignature(keys, {
    fingerprint: header.data.signingKeyFingerprint,
    hourStart: hourOfDigestKey(key)!,
    message: signingString(key, object.body),
    signature: Buffer.from(object.metadata[SIGNATURE_METADATA] ?? '', 'base64'),
  });
  if (!check.ok) return { ...check, sha256 };
  const digest = digestSchema.safeParse(json);
  if (!digest.success || digest.data.archiveBucket !== archiveBucket)
    return {
      ok: false,
      reason: 'bad-signature',
      detail: `signed, but not a ${DIGEST_FORMAT} of ${archiveBucket}`,
      sha256,
    };
  return { ok: true, digest: digest.data, sha256 };
}
