import { z } from 'zod';
import { UAParser } from 'ua-parser-js';

/**
 * One OCSP request, as stored. The policy names client IP, browser and OS:
 * the raw user agent is reduced to its families before anything is shipped.
 * This schema is the single source of truth for the shipper's validation, the
 * Glue table columns and the README's field reference.
 */

const ip = z.union([z.ipv4(), z.ipv6()]);
const hex = (length: string) =>
  z.string().regex(/^[0-9a-f]+$/, { message: `must be lowercase hex (${length})` });

export const ocspRequestRecord = z.strictObject({
  ts: z.iso
    .datetime({ offset: false })
    .describe('request time, ISO 8601 UTC (e.g. 2026-11-28T10:00:00.000Z)'),
  client_ip: ip.describe('IP address the request came from'),
  browser_family: z
    .string()
    .max(64)
    .describe('browser family parsed from the user agent (raw agent not stored)'),
  os_family: z.string().max(64).describe('operating system family parsed from the user agent'),
  method: z.enum(['GET', 'POST']).describe('HTTP method of the OCSP request'),
  issuer_key_hash: hex('40 or 64 characters')
    .refine((s) => s.length === 40 || s.length === 64, {
      message: 'must be 40 (SHA-1) or 64 (SHA-256) hex characters',
    })
    .describe('hash of the issuer public key from the CertID'),
  serial: hex('1-40 characters').min(1).max(40).describe('certificate serial number asked about'),
  status: z.enum(['good', 'revoked', 'unknown', 'error']).describe('response status'),
  responder_id: z.string().min(1).max(64).describe('responder instance that answered'),
  region: z.string().min(1).max(32).describe('region of the responder'),
  latency_ms: z.number().int().min(0).max(600_000).describe('time to answer, milliseconds'),
  bytes: z.number().int().min(0).max(1_048_576).describe('response size, bytes'),
});
export type OcspRequestRecord = z.infer<typeof ocspRequestRecord>;

/**
 * Browser and OS family of a user agent. Parsing costs ~0.1 ms and dominates
 * shipping; responders see a few hundred distinct agents, so results are
 * memoised in a bounded map (cleared when full, so memory stays flat).
 */
const familyCache = new Map<string, { browser: string; os: string }>();
const FAMILY_CACHE_MAX = 10_000;
function familiesOf(userAgent: string): { browser: string; os: string } {
  let families = familyCache.get(userAgent);
  if (!families) {
    const parsed = new UAParser(userAgent).getResult();
    families = { browser: parsed.browser.name ?? 'Other', os: parsed.os.name ?? 'Other' };
    if (familyCache.size >= FAMILY_CACHE_MAX) familyCache.clear();
    familyCache.set(userAgent, families);
  }
  return families;
}

/**
 * What a responder may emit: the stored fields, except that browser and OS
 * may instead come as a raw `user_agent`, which is parsed and dropped.
 */
export const ocspRequestInput = ocspRequestRecord
  .extend({
    browser_family: ocspRequestRecord.shape.browser_family.optional(),
    os_family: ocspRequestRecord.shape.os_family.optional(),
    user_agent: z.string().max(2048).optional(),
  })
  .transform(({ user_agent, ...rest }): OcspRequestRecord => {
    const parsed = familiesOf(user_agent ?? '');
    return {
      ...rest,
      browser_family: rest.browser_family ?? parsed.browser,
      os_family: rest.os_family ?? parsed.os,
    };
  });
