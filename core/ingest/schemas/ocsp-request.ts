import { z } from 'zod';
import { ipAddressSchema } from '../../ip/schema';
import { lineIdSchema } from '../line-id';
import {
  HASH_HEX_LENGTH,
  HashAlgorithm,
  digestHex,
  hashAlgorithmOfLength,
  hashAlgorithms,
} from './hash';
import { BROWSER_FAMILIES, OS_FAMILIES, familiesOf } from './user-agent-families';

/**
 * One OCSP request, as stored. The policy names client IP, browser and OS:
 * the raw user agent is reduced to families from a closed list before
 * anything is shipped, and the IP is stored in its one canonical form
 * (core/ip). This schema is the single source of truth for the shipper's
 * validation, the parsers' output, the Glue table columns and the field
 * reference in docs/ingestion.md.
 */

export const ocspStatuses = ['good', 'revoked', 'unknown', 'error', 'unrecorded'] as const;

const fields = {
  ts: z.iso
    .datetime({ offset: false })
    .describe('request time, ISO 8601 UTC (e.g. 2026-11-28T10:00:00.000Z)'),
  client_ip: ipAddressSchema.describe('IP address the request came from, canonical form'),
  browser_family: z
    .enum(BROWSER_FAMILIES)
    .describe('browser family from a closed list (raw agent not stored)'),
  os_family: z.enum(OS_FAMILIES).describe('operating system family from a closed list'),
  method: z.enum(['GET', 'POST']).describe('HTTP method of the OCSP request'),
  issuer_key_hash: digestHex('hash of the issuer public key from the CertID'),
  issuer_name_hash: digestHex('hash of the issuer distinguished name from the CertID')
    .nullable()
    .describe('hash of the issuer name from the CertID; null = the producer did not log it'),
  hash_alg: z.enum(hashAlgorithms).describe('hash algorithm of the CertID'),
  serial: z
    .string()
    .regex(/^[0-9a-f]+$/, { message: 'must be lowercase hex (1-40 characters)' })
    .min(1)
    .max(40)
    .describe('certificate serial number asked about'),
  status: z.enum(ocspStatuses).describe('response status; unrecorded = the source does not log it'),
  responder_id: z.string().min(1).max(64).describe('responder instance that answered'),
  region: z.string().min(1).max(32).describe('region of the responder'),
  latency_ms: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .nullable()
    .describe('time to answer, milliseconds; null = not recorded by the source'),
  bytes: z
    .number()
    .int()
    .min(0)
    .max(1_048_576)
    .nullable()
    .describe('response size, bytes; null = not recorded by the source'),
};

type Hashes = { issuer_key_hash: string; issuer_name_hash: string | null; hash_alg: HashAlgorithm };
const hashesMatchAlgorithm = (r: Hashes) =>
  r.issuer_key_hash.length === HASH_HEX_LENGTH[r.hash_alg] &&
  (r.issuer_name_hash === null || r.issuer_name_hash.length === HASH_HEX_LENGTH[r.hash_alg]);
const hashCheck = {
  message: 'issuer hashes must have the length of hash_alg',
  path: ['hash_alg'],
};

/** What a parser builds: every stored field but `line_id`, which ingestion adds. */
export const ocspRequestFields = z.strictObject(fields).refine(hashesMatchAlgorithm, hashCheck);
export type OcspRequestFields = z.infer<typeof ocspRequestFields>;

export const ocspRequestRecord = z
  .strictObject({ ...fields, line_id: lineIdSchema })
  .refine(hashesMatchAlgorithm, hashCheck);
export type OcspRequestRecord = z.infer<typeof ocspRequestRecord>;

/**
 * What a responder may emit as JSON: the stored fields, except that browser
 * and OS may instead come as a raw `user_agent` (parsed and dropped),
 * `hash_alg` may be left to the key hash's length, the name hash may be
 * absent, and `line_id` is kept only if the line already has one (a stored
 * line shipped again keeps its identity).
 */
export const ocspRequestInput = z
  .strictObject({
    ...fields,
    browser_family: fields.browser_family.optional(),
    os_family: fields.os_family.optional(),
    user_agent: z.string().max(2048).optional().describe('input only, not stored'),
    issuer_name_hash: fields.issuer_name_hash.optional(),
    hash_alg: fields.hash_alg.optional(),
    line_id: lineIdSchema.optional(),
  })
  .transform((input, ctx): OcspRequestFields & { line_id?: string } => {
    const { user_agent, line_id, ...rest } = input;
    const hash_alg = rest.hash_alg ?? hashAlgorithmOfLength(rest.issuer_key_hash)!;
    const record = {
      ...rest,
      issuer_name_hash: rest.issuer_name_hash ?? null,
      hash_alg,
      browser_family: rest.browser_family ?? familiesOf(user_agent ?? '').browser,
      os_family: rest.os_family ?? familiesOf(user_agent ?? '').os,
    };
    if (!hashesMatchAlgorithm(record)) ctx.issues.push({ code: 'custom', input, ...hashCheck });
    return line_id === undefined ? record : { ...record, line_id };
  });
