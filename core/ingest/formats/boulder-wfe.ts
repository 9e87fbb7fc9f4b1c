import { z } from 'zod';
import { Envelope } from './boulder-envelope';
import { LineOutcome, reject, storedAcme } from './outcome';

/**
 * Boulder WFE request lines (web/context.go, one per request):
 *
 *   <method> <endpoint> <requester account id> <status> <latency ms> <real IP> JSON={…}
 *
 * `endpoint` is the handler's path pattern, `Slug` the rest of the path. Not
 * stored: `Contacts` (e-mail addresses, logged by Boulder before 2023),
 * `Error`, `InternalErrors`, `Extra`, `Origin`: the ACME schema names none.
 * Boulder logs no bodies, so both bodies are null (not recorded).
 */

export const WFE_REQUEST = /^(\S+) (\/\S*) (-?\d+) (\d{3}) (\d+) (\S+) JSON=(\{.*\})$/;

/** The ACME event fields of the JSON part; everything else is ignored, never copied. */
const wfeJson = z.object({
  Slug: z.string().optional(),
  ua: z.string().optional(),
  Created: z.string().optional(),
  Status: z.string().optional(),
  ChallengeType: z.string().optional(),
  Identifiers: z.array(z.object({ type: z.string(), value: z.string() })).optional(),
  DNSName: z.string().optional(),
  DNSNames: z.array(z.string()).optional(),
});
type WfeJson = z.infer<typeof wfeJson>;

/** Boulder's handler patterns, named as logvault's ACME records name endpoints. */
const endpointNames: Record<string, string> = {
  '/directory': 'directory',
  '/acme/new-nonce': 'new-nonce',
  '/acme/new-acct': 'new-account',
  '/acme/new-order': 'new-order',
  '/acme/key-change': 'key-change',
  '/acme/revoke-cert': 'revoke-cert',
  '/acme/acct/': 'account',
  '/acme/order/': 'order',
  '/acme/authz/': 'authz',
  '/acme/authz-v3/': 'authz',
  '/acme/chall/': 'challenge',
  '/acme/chall-v3/': 'challenge',
  '/acme/finalize/': 'finalize',
  '/acme/cert/': 'cert',
  '/acme/renewal-info/': 'renewal-info',
};

/** Ids are Boulder's numbers and short random strings. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const idOrNull = (value: string | undefined) => (value && ID.test(value) ? value : null);

/** Slug shapes Boulder's handlers accept (with or without the account id first). */
const slugParts: Record<string, readonly number[]> = {
  order: [2],
  finalize: [2],
  authz: [1, 2],
  challenge: [2, 3],
};

/** A forged or malformed slug (a 404's path) yields no ids at all. */
function idsOf(endpoint: string, json: WfeJson) {
  const none = { order_id: null, authz_id: null, challenge_id: null };
  if (endpoint === 'new-order') return { ...none, order_id: idOrNull(json.Created) };
  const parts = (json.Slug ?? '').split('/');
  const shapes = slugParts[endpoint];
  if (!shapes?.includes(parts.length) || !parts.every((p) => ID.test(p))) return none;
  const last = (n: number) => parts[parts.length - n];
  if (endpoint === 'authz') return { ...none, authz_id: last(1) };
  if (endpoint === 'challenge') return { ...none, authz_id: last(2), challenge_id: last(1) };
  return { ...none, order_id: last(1) };
}

function identifiersOf(json: WfeJson): string[] {
  const values = [
    ...(json.Identifiers ?? []).map((identifier) => identifier.value),
    ...(json.DNSName ? [json.DNSName] : []),
    ...(json.DNSNames ?? []),
  ];
  return [...new Set(values)];
}

const VALIDATION_RESULTS = new Set(['pending', 'valid', 'invalid']);

/** The ACME record of one WFE request line (message without the `[AUDIT]` tag). */
export function acmeFromWfe(envelope: Envelope, match: RegExpExecArray): LineOutcome {
  const [, method, pattern, requester, status, , realIp, jsonText] = match;
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(jsonText);
  } catch {
    return reject('unparseable', 'WFE line: JSON= part is not JSON');
  }
  const json = wfeJson.safeParse(parsedJson);
  if (!json.success) return reject('invalid_field', 'WFE line: JSON= part has mistyped fields');
  const endpoint = endpointNames[pattern] ?? pattern;
  const authorizationState = endpoint === 'authz' || endpoint === 'challenge';
  return storedAcme({
    ts: envelope.ts,
    // Requester 0 = no account (directory, new-nonce, new-account before it exists).
    account_id:
      requester === '0' && endpoint === 'new-account' && json.data.Created
        ? json.data.Created
        : requester,
    source_ip: realIp,
    endpoint,
    method,
    status: Number(status),
    ...idsOf(endpoint, json.data),
    identifiers: identifiersOf(json.data),
    resolved_ips: [],
    validation_method: json.data.ChallengeType ?? null,
    validation_target: null,
    // WFE logs the authorization's status as the request found it.
    validation_result:
      authorizationState && VALIDATION_RESULTS.has(json.data.Status ?? '')
        ? json.data.Status
        : null,
    user_agent: json.data.ua ?? '',
    request_body: null,
    response_body: null,
    body_truncated: false,
  });
}
