import { z } from 'zod';
import { Envelope } from './boulder-envelope';
import { CertId, decodeBase64Body, decodeGetPath, Decoded } from './ocsp-request';
import { LineOutcome, reject, storedOcsp } from './outcome';
import { hashAlgorithms } from '../schemas/hash';
import { familiesOf } from '../schemas/user-agent-families';

/**
 * Boulder's OCSP responder lines (ocsp/responder, removed from Boulder in
 * Aug 2025 but still run by CAs on older releases), logged at debug level:
 *
 *   Received request: {"ip":…,"ua":…,"method":…,"path":…,"body":…,"received":…,"took":…,"headers":…,"serial":…,…}
 *
 * `ip` is the connection's host:port; `took` is nanoseconds; `path` is the
 * GET path after the responder's prefix, already URL-unescaped; `body` the
 * POST body in base64. The request is decoded from `path` / `body`, so every
 * CertID is stored (Boulder's own `serial` fields name only the first); they
 * are the fallback when neither decodes. The log has no certificate status:
 * a response with an `ETag` was a signed answer (`unrecorded`), one without
 * was an OCSP error response (`error`). No response size is logged.
 */

export const OCSP_REQUEST = /^Received request: (\{.*\})$/;

const responderJson = z.object({
  ip: z.string(),
  ua: z.string().optional(),
  method: z.string(),
  path: z.string().optional(),
  body: z.string().optional(),
  took: z.number().int().min(0).optional(),
  headers: z.record(z.string(), z.array(z.string())).optional(),
  serial: z.string().optional(),
  issuerKeyHash: z.string().optional(),
  issuerNameHash: z.string().optional(),
  hashAlg: z.string().optional(),
});
type ResponderJson = z.infer<typeof responderJson>;

/** `203.0.113.7:51234` / `[2001:db8::1]:443` / a bare address, without the port. */
export function addressWithoutPort(hostPort: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
  if (bracketed) return bracketed[1];
  const v4 = /^([\d.]+):\d+$/.exec(hostPort);
  return v4 ? v4[1] : hostPort;
}

function loggedCertId(json: ResponderJson): CertId | undefined {
  const hashAlg = json.hashAlg?.toLowerCase();
  if (!json.serial || !json.issuerKeyHash || !json.issuerNameHash || !hashAlg) return undefined;
  if (!(hashAlgorithms as readonly string[]).includes(hashAlg)) return undefined;
  return {
    serial: json.serial,
    issuerKeyHash: json.issuerKeyHash,
    issuerNameHash: json.issuerNameHash,
    hashAlg: hashAlg as CertId['hashAlg'],
  };
}

function certIdsOf(json: ResponderJson): readonly CertId[] | string {
  let decoded: Decoded | undefined;
  if (json.method === 'GET' && json.path !== undefined) decoded = decodeGetPath(json.path);
  if (json.method === 'POST' && json.body !== undefined) decoded = decodeBase64Body(json.body);
  if (decoded && 'certIds' in decoded) return decoded.certIds;
  const logged = loggedCertId(json);
  if (logged) return [logged];
  return decoded?.error ?? 'neither the path/body nor the logged CertID fields hold a request';
}

export interface ResponderDefaults {
  readonly responderId?: string;
  readonly region?: string;
}

/** The OCSP records of one responder line (message without the `[AUDIT]` tag). */
export function ocspFromResponder(
  envelope: Envelope,
  jsonText: string,
  defaults: ResponderDefaults,
): LineOutcome {
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(jsonText);
  } catch {
    return reject('unparseable', 'OCSP responder line: the request part is not JSON');
  }
  const json = responderJson.safeParse(parsedJson);
  if (!json.success) return reject('invalid_field', 'OCSP responder line: mistyped fields');
  const certIds = certIdsOf(json.data);
  if (typeof certIds === 'string') return reject('undecodable_ocsp_request', certIds);
  const responderId = defaults.responderId ?? envelope.host;
  const region = defaults.region ?? envelope.datacenter;
  if (!responderId)
    return reject('missing_field', 'responder_id: the line has no host; set responderId');
  if (!region)
    return reject('missing_field', 'region: the line has no datacenter; set the region option');
  const headerNames = Object.keys(json.data.headers ?? {}).map((name) => name.toLowerCase());
  const families = familiesOf(json.data.ua ?? '');
  const shared = {
    ts: envelope.ts,
    client_ip: addressWithoutPort(json.data.ip),
    browser_family: families.browser,
    os_family: families.os,
    method: json.data.method,
    status: headerNames.includes('etag') ? 'unrecorded' : 'error',
    responder_id: responderId,
    region,
    latency_ms: json.data.took === undefined ? null : Math.round(json.data.took / 1e6),
    bytes: null,
  };
  return storedOcsp(
    certIds.map((id) => ({
      ...shared,
      serial: id.serial,
      issuer_key_hash: id.issuerKeyHash,
      issuer_name_hash: id.issuerNameHash,
      hash_alg: id.hashAlg,
    })),
  );
}
