import { z } from 'zod';
import { decodeBody, decodeGetPath, Decoded } from './ocsp-request';
import { LineOutcome, reject, storedOcsp } from './outcome';
import { familiesOf } from '../schemas/user-agent-families';

/**
 * OCSP records from one HTTP exchange as a web server or CDN logs it. The
 * log has the request and the HTTP status, never the certificate status in
 * the OCSP response: `status` is `unrecorded`, or `error` when the HTTP
 * status shows the responder failed.
 */

/** Parser options shared by every source that logs HTTP requests. */
export const httpSourceOptions = z.strictObject({
  responderId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('responder_id for every record, e.g. the host name (default: from the line)'),
  region: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .describe('region for every record, e.g. eu-west-1 (default: from the line)'),
  pathPrefix: z
    .string()
    .startsWith('/')
    .default('/')
    .describe('URL path under which the OCSP responder answers GET requests'),
});
export type HttpSourceOptions = z.infer<typeof httpSourceOptions>;

export interface HttpExchange {
  readonly ts: string;
  readonly clientIp: string;
  readonly method: string;
  /** The request path as logged (still URL-escaped), without the query string. */
  readonly path: string;
  /** The request body; undefined when the source does not log bodies. */
  readonly body: Buffer | undefined;
  readonly userAgent: string;
  /** True when the HTTP status shows the responder failed (4xx/5xx): `status` is then `error`. */
  readonly answeredWithError: boolean;
  readonly bytes: number | null;
  readonly latencyMs: number | null;
  /** responder_id / region when the line itself names them (e.g. CloudFront's edge location). */
  readonly responderId?: string;
  readonly region?: string;
}

function decodeRequest(exchange: HttpExchange, pathPrefix: string): Decoded | LineOutcome {
  if (exchange.method === 'GET') {
    if (!exchange.path.startsWith(pathPrefix))
      return reject('not_ocsp', `GET path is outside the OCSP prefix ${pathPrefix}`);
    const decoded = decodeGetPath(exchange.path.slice(pathPrefix.length));
    return decoded ?? reject('not_ocsp', 'GET path is not a base64 OCSP request');
  }
  if (exchange.method === 'POST') {
    if (exchange.body === undefined)
      return reject(
        'missing_field',
        'POST body not in the log: log request bodies to store POST requests (docs/formats.md)',
      );
    return decodeBody(exchange.body);
  }
  return reject('not_ocsp', `method ${exchange.method.slice(0, 16)} is not an OCSP request`);
}

/** The stored OCSP records of one logged HTTP exchange, one per CertID, or the rejection. */
export function ocspFromHttp(exchange: HttpExchange, options: HttpSourceOptions): LineOutcome {
  const decoded = decodeRequest(exchange, options.pathPrefix);
  if ('kind' in decoded) return decoded;
  if ('error' in decoded) return reject('undecodable_ocsp_request', decoded.error);
  const responderId = options.responderId ?? exchange.responderId;
  const region = options.region ?? exchange.region;
  if (responderId === undefined)
    return reject('missing_field', 'responder_id: the line has none; set the responderId option');
  if (region === undefined)
    return reject('missing_field', 'region: the line has none; set the region option');
  const families = familiesOf(exchange.userAgent);
  const shared = {
    ts: exchange.ts,
    client_ip: exchange.clientIp,
    browser_family: families.browser,
    os_family: families.os,
    method: exchange.method,
    status: exchange.answeredWithError ? 'error' : 'unrecorded',
    responder_id: responderId,
    region,
    latency_ms: exchange.latencyMs,
    bytes: exchange.bytes,
  };
  return storedOcsp(
    decoded.certIds.map((id) => ({
      ...shared,
      issuer_key_hash: id.issuerKeyHash,
      issuer_name_hash: id.issuerNameHash,
      hash_alg: id.hashAlg,
      serial: id.serial,
    })),
  );
}
