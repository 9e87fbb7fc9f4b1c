import { z } from 'zod';
import { acmeEventRecord } from '../schemas/acme-event';
import { ocspRequestRecord } from '../schemas/ocsp-request';
import { BROWSER_FAMILIES, OS_FAMILIES } from './user-agent-families';

/**
 * PROPOSED SCHEMA ADDITIONS, for the integrator to fold into
 * lambdas/shared/schemas (core/ingest/schemas after the move). The format
 * parsers emit records of these extended schemas; until the additions are
 * folded in, the stored schemas would refuse the new fields. Each addition:
 *
 * OCSP (ocsp-request.ts)
 * - `browser_family` / `os_family`: an enum of user-agent-families.ts instead
 *   of any 64-character string (issue 18: free text such as an e-mail address
 *   got through).
 * - `status` gains `unrecorded`: the source logs the HTTP exchange but not the
 *   certificate status inside the OCSP response (web servers, CDNs, Boulder's
 *   responder log). Counting it as `unknown` would claim the responder said
 *   "unknown". ocsp_cert_daily would need a `status_unrecorded` count.
 * - `issuer_name_hash` and `hash_alg`: the rest of the RFC 6960 CertID. With
 *   them a record identifies its certificate unambiguously (two issuers can
 *   share a key; SHA-1 and SHA-256 CertIDs of one certificate differ).
 * - `issuer_key_hash` also accepts SHA-384 / SHA-512 lengths (96 / 128 hex),
 *   which RFC 6960 clients may send; its length must match `hash_alg`.
 * - `latency_ms` and `bytes` become nullable: null = the source does not
 *   record it (a combined log has no latency; Boulder's responder log has no
 *   response size). A made-up 0 would skew the latency views.
 *
 * ACME (acme-event.ts)
 * - `identifiers` accepts IP addresses (RFC 8738 `ip` identifiers, which
 *   Boulder issues for) besides domain names.
 * - `validation_method` gains `dns-account-01` and `dns-persist-01`, the
 *   challenge types Boulder's core/objects.go defines besides the three.
 * - `request_body` / `response_body` become nullable: Boulder's WFE does not
 *   log bodies; null says "not recorded", where "" would claim an empty body.
 */

export const hashAlgorithms = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type HashAlgorithm = (typeof hashAlgorithms)[number];

/** Hex length of each hash algorithm's digest. */
export const HASH_HEX_LENGTH: Record<HashAlgorithm, number> = {
  sha1: 40,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

export const ocspStatuses = ['good', 'revoked', 'unknown', 'error', 'unrecorded'] as const;

const digestHex = (what: string) =>
  z
    .string()
    .regex(/^[0-9a-f]+$/, { message: 'must be lowercase hex' })
    .refine((s) => Object.values(HASH_HEX_LENGTH).includes(s.length), {
      message: 'must be 40, 64, 96 or 128 hex characters (SHA-1/256/384/512)',
    })
    .describe(what);

export const ocspRecordWithAdditions = ocspRequestRecord
  .extend({
    browser_family: z
      .enum(BROWSER_FAMILIES)
      .describe('browser family from a closed list (raw agent not stored)'),
    os_family: z.enum(OS_FAMILIES).describe('operating system family from a closed list'),
    status: z
      .enum(ocspStatuses)
      .describe('response status; unrecorded = the source does not log it'),
    issuer_key_hash: digestHex('hash of the issuer public key from the CertID'),
    issuer_name_hash: digestHex('hash of the issuer distinguished name from the CertID'),
    hash_alg: z.enum(hashAlgorithms).describe('hash algorithm of the CertID'),
    latency_ms: ocspRequestRecord.shape.latency_ms
      .nullable()
      .describe('time to answer, milliseconds; null = not recorded by the source'),
    bytes: ocspRequestRecord.shape.bytes
      .nullable()
      .describe('response size, bytes; null = not recorded by the source'),
  })
  .refine(
    (r) =>
      r.issuer_key_hash.length === HASH_HEX_LENGTH[r.hash_alg] &&
      r.issuer_name_hash.length === HASH_HEX_LENGTH[r.hash_alg],
    { message: 'issuer hashes must have the length of hash_alg', path: ['hash_alg'] },
  );
export type OcspRecord = z.infer<typeof ocspRecordWithAdditions>;

export const acmeChallengeTypes = [
  'http-01',
  'dns-01',
  'tls-alpn-01',
  'dns-account-01',
  'dns-persist-01',
] as const;

export const acmeRecordWithAdditions = acmeEventRecord.extend({
  identifiers: z
    .array(z.union([acmeEventRecord.shape.identifiers.element, z.ipv4(), z.ipv6()]))
    .max(100)
    .describe('identifiers (domain names or IP addresses) in the request'),
  validation_method: z.enum(acmeChallengeTypes).nullable().describe('challenge type'),
  request_body: acmeEventRecord.shape.request_body
    .nullable()
    .describe('raw request body (JWS), size-capped; null = not recorded by the source'),
  response_body: acmeEventRecord.shape.response_body
    .nullable()
    .describe('raw response body, size-capped; null = not recorded by the source'),
});
export type AcmeRecord = z.infer<typeof acmeRecordWithAdditions>;
