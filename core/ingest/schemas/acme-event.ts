import { z } from 'zod';
import { ipAddressSchema } from '../../ip/schema';
import { lineIdSchema } from '../line-id';
import { boundedText, cutCodePoints, wellFormed } from './text';

/**
 * One ACME / subscriber event, as stored. Single source of truth for the
 * shipper's validation, the parsers' output, the Glue table columns and the
 * field reference in docs/ingestion.md.
 */

/**
 * Request and response bodies are cut at this many characters, counted as
 * Unicode code points (what Athena's `length()` counts; up to 4 bytes each
 * in UTF-8), never inside a surrogate pair. `body_truncated` records a cut.
 */
export const ACME_BODY_MAX_CHARS = 16_384;

/** Challenge types Boulder's core/objects.go defines. */
export const acmeChallengeTypes = [
  'http-01',
  'dns-01',
  'tls-alpn-01',
  'dns-account-01',
  'dns-persist-01',
] as const;

const domain = z
  .string()
  .max(253)
  .regex(/^(\*\.)?([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, {
    message: 'must be a domain name or an IP address',
  });
const body = (what: string) =>
  boundedText(ACME_BODY_MAX_CHARS)
    .nullable()
    .describe(`${what}, size-capped; null = not recorded by the source`);

const fields = {
  ts: z.iso.datetime({ offset: false }).describe('event time, ISO 8601 UTC'),
  account_id: z.string().min(1).max(128).describe('ACME account id'),
  source_ip: ipAddressSchema.describe('IP address the request came from, canonical form'),
  endpoint: z
    .string()
    .min(1)
    .max(64)
    .describe('ACME endpoint, e.g. new-order, finalize, challenge'),
  method: z.enum(['GET', 'HEAD', 'POST']).describe('HTTP method'),
  status: z.number().int().min(100).max(599).describe('HTTP status returned'),
  order_id: z.string().max(128).nullable().describe('order id, if any'),
  authz_id: z.string().max(128).nullable().describe('authorization id, if any'),
  challenge_id: z.string().max(128).nullable().describe('challenge id, if any'),
  identifiers: z
    // An IP identifier (RFC 8738) is stored canonical; anything else must be a domain name.
    .array(z.union([ipAddressSchema, domain]))
    .max(100)
    .describe('identifiers (domain names or IP addresses) in the request'),
  resolved_ips: z
    .array(ipAddressSchema)
    .max(100)
    .describe('IPs the requested names resolved to during validation'),
  validation_method: z.enum(acmeChallengeTypes).nullable().describe('challenge type'),
  validation_target: z.string().max(512).nullable().describe('URL, DNS name or address validated'),
  validation_result: z
    .enum(['pending', 'valid', 'invalid'])
    .nullable()
    .describe('validation outcome'),
  user_agent: boundedText(2048).describe('ACME client software (user agent)'),
  request_body: body('raw request body (JWS)'),
  response_body: body('raw response body'),
  body_truncated: z.boolean().describe('true when a body was cut at the cap'),
};

/** What a parser builds: every stored field but `line_id`, which ingestion adds. */
export const acmeEventFields = z.strictObject(fields);
export type AcmeEventFields = z.infer<typeof acmeEventFields>;

export const acmeEventRecord = z.strictObject({ ...fields, line_id: lineIdSchema });
export type AcmeEventRecord = z.infer<typeof acmeEventRecord>;

/** A body cut to the cap on a code-point boundary, lone surrogates replaced. */
function capped(text: string | null): { text: string | null; cut: boolean } {
  if (text === null) return { text, cut: false };
  const clean = wellFormed(text);
  const cut = cutCodePoints(clean, ACME_BODY_MAX_CHARS);
  return { text: cut, cut: cut.length < clean.length };
}

/**
 * What the ACME server may emit: bodies of any length, cut here so every
 * stored line stays bounded and the cut is recorded; `line_id` kept only if
 * the line already has one (a stored line shipped again keeps its identity).
 */
export const acmeEventInput = z
  .strictObject({
    ...fields,
    user_agent: z.string().max(2048).transform(wellFormed),
    request_body: z.string().nullable(),
    response_body: z.string().nullable(),
    body_truncated: z.boolean().optional(),
    line_id: lineIdSchema.optional(),
  })
  .transform(({ line_id, ...event }): AcmeEventFields & { line_id?: string } => {
    const request = capped(event.request_body);
    const response = capped(event.response_body);
    const record = {
      ...event,
      request_body: request.text,
      response_body: response.text,
      body_truncated: (event.body_truncated ?? false) || request.cut || response.cut,
    };
    return line_id === undefined ? record : { ...record, line_id };
  });
