import { z } from 'zod';

/**
 * One ACME / subscriber event, as stored. Single source of truth for the
 * shipper's validation, the Glue table columns and the README's field reference.
 */

/** Request and response bodies are cut at this many characters; `body_truncated` records it. */
export const ACME_BODY_MAX_CHARS = 16_384;

const ip = z.union([z.ipv4(), z.ipv6()]);
const domain = z
  .string()
  .max(253)
  .regex(/^(\*\.)?([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, { message: 'must be a domain name' });

export const acmeEventRecord = z.strictObject({
  ts: z.iso.datetime({ offset: false }).describe('event time, ISO 8601 UTC'),
  account_id: z.string().min(1).max(128).describe('ACME account id'),
  source_ip: ip.describe('IP address the request came from'),
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
  identifiers: z.array(domain).max(100).describe('identifiers (domain names) in the request'),
  resolved_ips: z
    .array(ip)
    .max(100)
    .describe('IPs the requested names resolved to during validation'),
  validation_method: z
    .enum(['http-01', 'dns-01', 'tls-alpn-01'])
    .nullable()
    .describe('challenge type'),
  validation_target: z.string().max(512).nullable().describe('URL, DNS name or address validated'),
  validation_result: z
    .enum(['pending', 'valid', 'invalid'])
    .nullable()
    .describe('validation outcome'),
  user_agent: z.string().max(2048).describe('ACME client software (user agent)'),
  request_body: z.string().max(ACME_BODY_MAX_CHARS).describe('raw request body (JWS), size-capped'),
  response_body: z.string().max(ACME_BODY_MAX_CHARS).describe('raw response body, size-capped'),
  body_truncated: z.boolean().describe('true when a body was cut at the cap'),
});
export type AcmeEventRecord = z.infer<typeof acmeEventRecord>;

/**
 * What the ACME server may emit: bodies of any length, cut here so every
 * stored line stays bounded and the cut is recorded.
 */
export const acmeEventInput = acmeEventRecord
  .extend({
    request_body: z.string(),
    response_body: z.string(),
    body_truncated: z.boolean().optional(),
  })
  .transform((event): AcmeEventRecord => {
    const cut = (s: string) => s.slice(0, ACME_BODY_MAX_CHARS);
    const truncated =
      event.request_body.length > ACME_BODY_MAX_CHARS ||
      event.response_body.length > ACME_BODY_MAX_CHARS;
    return {
      ...event,
      request_body: cut(event.request_body),
      response_body: cut(event.response_body),
      body_truncated: (event.body_truncated ?? false) || truncated,
    };
  });
