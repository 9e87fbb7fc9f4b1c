import { z } from 'zod';
import { acmeEventInput } from '../ingest/schemas/acme-event';
import { ocspRequestInput } from '../ingest/schemas/ocsp-request';

/**
 * Deterministic, realistic log traffic for local runs, tests and benchmarks.
 * The same options always yield the same lines, so a failing test or a
 * benchmark figure can be reproduced exactly from its seed.
 */
export interface TrafficOptions {
  /** PRNG seed; same seed and options → same lines. */
  seed: number;
  /** First timestamp (inclusive). */
  start: Date;
  /** Last timestamp (exclusive). */
  end: Date;
  /** Number of lines to generate; timestamps are spread over [start, end) in order. */
  lines: number;
  /** Distinct certificates asked about (OCSP) or accounts (ACME). @default 10000 */
  certificates?: number;
  /** Distinct client IP addresses. @default 5000 */
  clients?: number;
  /** Zipf exponent of certificate popularity: a few certificates get most requests. @default 1.1 */
  zipfExponent?: number;
}

type OcspInput = z.input<typeof ocspRequestInput>;
type AcmeInput = z.input<typeof acmeEventInput>;

/** sfc32: small, fast, good enough statistically and reproducible across platforms. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: they correlate with the seed.
  for (let i = 0; i < 15; i++) next();
  return next;
}

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** Picks from [value, weight] pairs. */
function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table[table.length - 1][0];
}

const hex = (rng: Rng, chars: number) =>
  Array.from({ length: chars }, () => Math.floor(rng() * 16).toString(16)).join('');

const base64url = (rng: Rng, chars: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < chars; i++) out += alphabet[Math.floor(rng() * 64)];
  return out;
};

/** Sampler of ranks 0..n-1 with P(k) ∝ 1/(k+1)^s, by binary search in the CDF. */
function zipf(n: number, s: number): (rng: Rng) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  return (rng) => {
    const target = rng() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Client addresses: mostly IPv4 from public-looking ranges, about a fifth IPv6. */
function clientPool(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => {
    if (rng() < 0.2) {
      const groups = Array.from({ length: 4 }, () => Math.floor(rng() * 0xffff).toString(16));
      return `2a0${Math.floor(rng() * 10)}:${groups.join(':')}::${Math.floor(rng() * 0xfff).toString(16)}`;
    }
    const first = pick(rng, [24, 31, 45, 62, 77, 81, 91, 103, 151, 176, 185, 203]);
    return `${first}.${Math.floor(rng() * 256)}.${Math.floor(rng() * 256)}.${1 + Math.floor(rng() * 254)}`;
  });
}

/** Timestamps spread evenly over [start, end) with jitter, strictly in order. */
function* timestamps(rng: Rng, o: TrafficOptions): Generator<string> {
  const start = o.start.getTime();
  const step = (o.end.getTime() - start) / o.lines;
  if (!(step > 0) && o.lines > 0) throw new Error('traffic: end must be after start');
  for (let i = 0; i < o.lines; i++) {
    yield new Date(Math.floor(start + (i + rng()) * step)).toISOString();
  }
}

/** Real user agents of OCSP clients, weighted roughly by how often responders see them. */
const OCSP_AGENTS: readonly (readonly [string, number])[] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 25],
  ['Microsoft-CryptoAPI/10.0', 30],
  ['ocspd/1.0.3', 12],
  ['com.apple.trustd/3.0', 10],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 6],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0', 5],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    4,
  ],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0', 2],
  ['Go-http-client/1.1', 5],
  ['curl/8.5.0', 2],
  ['Java/17.0.12', 2],
  ['OpenSSL/3.0.13', 1],
  ['', 2],
];

const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'ap-southeast-1'];

/**
 * OCSP requests: certificates asked about follow Zipf (a handful of busy
 * sites dominate), clients are drawn from a pool of IPv4/IPv6 addresses,
 * user agents are real strings (the shipper reduces them to families).
 */
export function* ocspTraffic(o: TrafficOptions): Generator<OcspInput> {
  const rng = seededRandom(o.seed);
  const certificates = o.certificates ?? 10_000;
  const issuers = Array.from({ length: 4 }, (_, i) => hex(rng, i === 3 ? 64 : 40));
  const certs = Array.from({ length: certificates }, () => ({
    issuer: weighted(rng, [
      [0, 55],
      [1, 30],
      [2, 10],
      [3, 5],
    ]),
    serial: (rng() < 0.5 ? '0' : '') + hex(rng, 35),
    revoked: rng() < 0.015,
  }));
  const clients = clientPool(rng, o.clients ?? 5000);
  const certRank = zipf(certificates, o.zipfExponent ?? 1.1);
  const clientRank = zipf(clients.length, 0.8);
  for (const ts of timestamps(rng, o)) {
    const cert = certs[certRank(rng)];
    const region = pick(rng, REGIONS);
    const status = weighted(rng, [
      [cert.revoked ? 'revoked' : 'good', 990],
      ['unknown', 7],
      ['error', 3],
    ] as const);
    // Log-normal-ish latency around 8 ms with a long tail.
    const latency = Math.min(
      600_000,
      Math.round(Math.exp(2 + rng() * 1.2 + (rng() < 0.01 ? 3 : 0))),
    );
    yield {
      ts,
      client_ip: clients[clientRank(rng)],
      user_agent: weighted(rng, OCSP_AGENTS),
      method: rng() < 0.8 ? 'GET' : 'POST',
      issuer_key_hash: issuers[cert.issuer],
      serial: cert.serial,
      status,
      responder_id: `ocsp-${region}-${1 + Math.floor(rng() * 6)}`,
      region,
      latency_ms: latency,
      bytes:
        status === 'error' ? 5 : status === 'unknown' ? 474 : 503 + Math.floor(rng() * 3) * 1024,
    };
  }
}

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
  const accountRank = zipf(accounts.length, o.zipfExponent ?? 1.1);
  interface Flow {
    step: number;
    account: (typeof accounts)[number];
    ip: string;
    order: string;
    authz: string;
    challenge: string;
    names: string[];
    method: 'http-01' | 'dns-01' | 'tls-alpn-01';
    ok: boolean;
  }
  const newFlow = (): Flow => {
    const domain = `${pick(rng, WORDS)}${Math.floor(rng() * 10_000)}.${pick(rng, TLDS)}`;
    return {
      step: 0,
      account: accounts[accountRank(rng)],
      ip: pick(rng, clients),
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
  };
  // Issuances run concurrently: each line advances one of these in-flight flows.
  const inFlight: Flow[] = [];

  for (const ts of timestamps(rng, o)) {
    const slot = Math.floor(rng() * CONCURRENT_ISSUANCES);
    if (!inFlight[slot] || inFlight[slot].step >= ACME_FLOW.length) inFlight[slot] = newFlow();
    const flow = inFlight[slot];
    const step = ACME_FLOW[flow.step++];
    const inOrder = step !== 'new-nonce' && step !== 'new-account';
    const validating = step === 'challenge' || (step === 'authz' && flow.step > 4);
    const result = validating
      ? flow.ok
        ? 'valid'
        : 'invalid'
      : step === 'authz'
        ? 'pending'
        : null;
    const failed = !flow.ok && (step === 'finalize' || step === 'order' || step === 'cert');
    const status = step === 'new-nonce' ? 204 : step === 'new-order' ? 201 : failed ? 403 : 200;
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
    const responseBody =
      step === 'cert' && !failed
        ? pemChain(rng)
        : step === 'new-nonce'
          ? ''
          : JSON.stringify(
              failed
                ? {
                    type: 'urn:ietf:params:acme:error:unauthorized',
                    detail: `Invalid response from ${target}`,
                    status: 403,
                  }
                : {
                    status: result ?? 'valid',
                    expires: ts,
                    identifiers: flow.names.map((value) => ({ type: 'dns', value })),
                  },
            );
    yield {
      ts,
      account_id: flow.account.id,
      source_ip: flow.ip,
      endpoint: step,
      method: step === 'new-nonce' ? 'HEAD' : 'POST',
      status,
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
      response_body: responseBody,
    };
  }
}
