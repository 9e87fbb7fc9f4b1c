import type { z } from 'zod';
import type { acmeEventInput } from '../ingest/schemas/acme-event';
import type { TrafficOptions } from './options';
import {
  Rng,
  base64url,
  clientPool,
  pick,
  seededRandom,
  timestamps,
  weighted,
  zipf,
} from './random';

type AcmeInput = z.input<typeof acmeEventInput>;

const ACME_AGENTS: readonly (readonly [string, number])[] = [
  [
    'CertbotACMEClient/2.11.0 (certbot; Ubuntu 24.04 LTS) Authenticator/nginx Installer/nginx (renew; flags: ) Py/3.12.3',
    40,
  ],
  ['lego-cli/4.19.2 xenolf-acme/4.19.2 (release; linux; amd64)', 15],
  ['acme.sh/3.0.9 (https://github.com/acmesh-official/acme.sh)', 15],
  ['Caddy/2.8.4 CertMagic acmez (linux; amd64)', 12],
  ['cert-manager-challenges/v1.16.1 (linux/amd64) cert-manager/a3d5f2a2', 10],
  ['win-acme/2.2.9.1701', 5],
  ['Go-http-client/2.0', 3],
];

const WORDS = [
  'shop',
  'mail',
  'blog',
  'api',
  'cdn',
  'app',
  'dev',
  'status',
  'git',
  'cloud',
  'photo',
  'news',
];
const TLDS = ['com', 'org', 'net', 'de', 'fr', 'io', 'nl', 'co.uk'];

/** One step of an ACME issuance, in the order clients perform them. */
type Step =
  'new-nonce' | 'new-account' | 'new-order' | 'authz' | 'challenge' | 'finalize' | 'order' | 'cert';

const ACME_FLOW: readonly Step[] = [
  'new-nonce',
  'new-order',
  'authz',
  'challenge',
  'authz',
  'finalize',
  'order',
  'cert',
];

const CONCURRENT_ISSUANCES = 16;

function jws(rng: Rng, payloadChars: number): string {
  return JSON.stringify({
    protected: base64url(rng, 180),
    payload: base64url(rng, payloadChars),
    signature: base64url(rng, 86),
  });
}

function pemChain(rng: Rng): string {
  const cert = () =>
    `-----BEGIN CERTIFICATE-----\n${base64url(rng, 1600).replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  return cert() + cert();
}

interface Account {
  readonly id: string;
  readonly agent: string;
}

/** The accounts and clients of a run, and how often each account comes back. */
interface Population {
  readonly accounts: Account[];
  readonly clients: string[];
  readonly accountRank: (rng: Rng) => number;
}

/** One issuance in flight: the account, its order, and how far it has got. */
interface Flow {
  step: number;
  account: Account;
  ip: string;
  order: string;
  authz: string;
  challenge: string;
  names: string[];
  method: 'http-01' | 'dns-01' | 'tls-alpn-01';
  ok: boolean;
}

function newFlow(rng: Rng, p: Population): Flow {
  const domain = `${pick(rng, WORDS)}${Math.floor(rng() * 10_000)}.${pick(rng, TLDS)}`;
  return {
    step: 0,
    account: p.accounts[p.accountRank(rng)]!,
    ip: pick(rng, p.clients),
    order: String(Math.floor(rng() * 1e11)),
    authz: String(Math.floor(rng() * 1e11)),
    challenge: base64url(rng, 6),
    names: rng() < 0.6 ? [domain, `www.${domain}`] : [domain],
    method: weighted(rng, [
      ['http-01', 70],
      ['dns-01', 25],
      ['tls-alpn-01', 5],
    ] as const),
    ok: rng() < 0.93,
  };
}

/** What the server answers to one step: a nonce, the certificate chain, an error or the object. */
function responseBody(
  rng: Rng,
  step: Step,
  flow: Flow,
  outcome: { failed: boolean; result: string | null; target: string; ts: string },
): string {
  if (step === 'cert' && !outcome.failed) return pemChain(rng);
  if (step === 'new-nonce') return '';
  return JSON.stringify(
    outcome.failed
      ? {
          type: 'urn:ietf:params:acme:error:unauthorized',
          detail: `Invalid response from ${outcome.target}`,
          status: 403,
        }
      : {
          status: outcome.result ?? 'valid',
          expires: outcome.ts,
          identifiers: flow.names.map((value) => ({ type: 'dns', value })),
        },
  );
}

/** The event of one step of `flow` at `ts`. */
function acmeEvent(rng: Rng, clients: string[], flow: Flow, step: Step, ts: string): AcmeInput {
  const inOrder = step !== 'new-nonce' && step !== 'new-account';
  const validating = step === 'challenge' || (step === 'authz' && flow.step > 4);
  const result = validating ? (flow.ok ? 'valid' : 'invalid') : step === 'authz' ? 'pending' : null;
  const failed = !flow.ok && (step === 'finalize' || step === 'order' || step === 'cert');
  const domain = flow.names[0];
  const target =
    flow.method === 'http-01'
      ? `http://${domain}/.well-known/acme-challenge/${base64url(rng, 43)}`
      : flow.method === 'dns-01'
        ? `_acme-challenge.${domain}`
        : `${domain}:443`;
  const requestBody =
    step === 'new-nonce'
      ? ''
      : step === 'finalize'
        ? jws(rng, 1200)
        : jws(rng, step === 'new-order' ? 120 : 0);
  const response = responseBody(rng, step, flow, { failed, result, target, ts });
  return {
    ts,
    account_id: flow.account.id,
    source_ip: flow.ip,
    endpoint: step,
    method: step === 'new-nonce' ? 'HEAD' : 'POST',
    status: step === 'new-nonce' ? 204 : step === 'new-order' ? 201 : failed ? 403 : 200,
    order_id: inOrder ? flow.order : null,
    authz_id: step === 'authz' || step === 'challenge' ? flow.authz : null,
    challenge_id: step === 'challenge' ? flow.challenge : null,
    identifiers: inOrder ? flow.names : [],
    resolved_ips: validating && flow.method !== 'dns-01' ? [pick(rng, clients)] : [],
    validation_method: step === 'authz' || step === 'challenge' ? flow.method : null,
    validation_target: validating ? target : null,
    validation_result: result,
    user_agent: flow.account.agent,
    request_body: requestBody,
    response_body: response,
  };
}

/**
 * ACME events: accounts (Zipf, some large integrators) walk through
 * issuances step by step — order, authorization, challenge, finalize,
 * certificate download — with real client user agents and JWS bodies.
 */
export function* acmeTraffic(o: TrafficOptions): Generator<AcmeInput> {
  const rng = seededRandom(o.seed);
  const accounts = Array.from({ length: o.certificates ?? 10_000 }, () => ({
    id: String(100_000_000 + Math.floor(rng() * 900_000_000)),
    agent: weighted(rng, ACME_AGENTS),
  }));
  const clients = clientPool(rng, o.clients ?? 5000);
  const population = {
    accounts,
    clients,
    accountRank: zipf(accounts.length, o.zipfExponent ?? 1.1),
  };
  // Issuances run concurrently: each line advances one of these in-flight flows.
  const inFlight: Flow[] = [];
  for (const ts of timestamps(rng, o)) {
    const slot = Math.floor(rng() * CONCURRENT_ISSUANCES);
    if (!inFlight[slot] || inFlight[slot].step >= ACME_FLOW.length)
      inFlight[slot] = newFlow(rng, population);
    const flow = inFlight[slot];
    yield acmeEvent(rng, clients, flow, ACME_FLOW[flow.step++]!, ts);
  }
}
