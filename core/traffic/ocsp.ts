import type { z } from 'zod';
import type { ocspRequestInput } from '../ingest/schemas/ocsp-request';
import type { TrafficOptions } from './options';
import { clientPool, hex, pick, seededRandom, timestamps, weighted, zipf } from './random';

type OcspInput = z.input<typeof ocspRequestInput>;

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
