/**
 * The accuracy cost of the private publication (docs/publication.md), for
 * one synthetic day at production scale, several ε side by side in one run:
 * - relative error |published - true| / true, median and p95, over the 1,000
 *   busiest certificates (a suppressed one counts as error 1), against the
 *   raw request count (what the k-anonymous dataset published) and against
 *   the bounded count (the noise alone);
 * - the share of certificate-days suppressed, and of requests in them.
 * The k = 10 dataset it replaces and bounding without noise are the baselines.
 *
 *   npx tsx bench/publication/run.ts [--requests 10000000] [--certificates 200000]
 *     [--clients 1000000] [--networks 250000] [--epsilons 0.5,1,2,4]
 */
import { parseArgs } from 'node:util';
import { calibrate } from '../../core/analytics/publication/accounting';
import { BoundedCount, boundContributions } from '../../core/analytics/publication/bounding';
import { releaseCounts } from '../../core/analytics/publication/release';
import { PUBLICATION_PARAMETERS } from '../../core/analytics/publication/parameters';
import { SyntheticDay, syntheticDay } from './synthetic-day';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000000' },
    certificates: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '1000000' },
    networks: { type: 'string', default: '250000' },
    epsilons: { type: 'string', default: '0.5,1,2,4' },
    'per-client': { type: 'string', default: String(PUBLICATION_PARAMETERS.perClient) },
    'per-prefix': { type: 'string', default: String(PUBLICATION_PARAMETERS.perPrefix) },
    'certificates-per-prefix': {
      type: 'string',
      default: String(PUBLICATION_PARAMETERS.certificatesPerPrefix),
    },
  },
});
const bounds = {
  perClient: Number(values['per-client']),
  perPrefix: Number(values['per-prefix']),
  certificatesPerPrefix: Number(values['certificates-per-prefix']),
};
const delta = PUBLICATION_PARAMETERS.delta;
const BUSIEST = 1000;
const OLD_K = 10;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Outcome {
  readonly label: string;
  readonly published: Map<string, number>;
  readonly noise?: string;
}

/** Median and p95 relative error of `published` against `truth` over the busiest certificates. */
function errors(
  busiest: string[],
  truth: (serial: string) => number,
  published: Map<string, number>,
) {
  const relative = busiest
    .map((serial) => Math.abs((published.get(serial) ?? 0) - truth(serial)) / truth(serial))
    .sort((a, b) => a - b);
  return { median: quantile(relative, 0.5), p95: quantile(relative, 0.95) };
}

function report(day: SyntheticDay, bounded: BoundedCount[], outcomes: Outcome[]) {
  const trueOf = (serial: string) => day.trueRequests[parseInt(serial, 16)];
  const boundedBySerial = new Map(bounded.map((b) => [b.serial, b.boundedRequests]));
  const requested = day.serials.filter((s) => trueOf(s) > 0);
  const busiest = [...requested].sort((a, b) => trueOf(b) - trueOf(a)).slice(0, BUSIEST);
  const totalRequests = requested.reduce((n, s) => n + trueOf(s), 0);

  const header = ['', 'σ', 'τ', 'vs true: median', 'p95', 'vs bounded: median', 'p95'];
  console.log(
    [...header, 'busiest kept', 'cert-days suppressed', 'requests in them']
      .map((h, i) => (i === 0 ? h.padEnd(30) : h.padStart(i < 3 ? 6 : 12)))
      .join(' '),
  );
  for (const o of outcomes) {
    const vsTrue = errors(busiest, trueOf, o.published);
    const vsBounded = errors(busiest, (s) => boundedBySerial.get(s) ?? 0, o.published);
    const suppressed = requested.filter((s) => !o.published.has(s));
    const lost = suppressed.reduce((n, s) => n + trueOf(s), 0);
    const [sigma, tau] = (o.noise ?? '- -').split(' ');
    console.log(
      [
        o.label.padEnd(30),
        sigma.padStart(6),
        tau.padStart(6),
        percent(vsTrue.median).padStart(12),
        percent(vsTrue.p95).padStart(12),
        (o.label.startsWith('k =') ? '-' : percent(vsBounded.median)).padStart(12),
        (o.label.startsWith('k =') ? '-' : percent(vsBounded.p95)).padStart(12),
        String(busiest.filter((s) => o.published.has(s)).length).padStart(12),
        percent(suppressed.length / requested.length).padStart(12),
        percent(lost / totalRequests).padStart(12),
      ].join(' '),
    );
  }
}

function main() {
  const cpu = process.cpuUsage();
  let started = Date.now();
  const day = syntheticDay({
    seed: 16,
    requests: Number(values.requests),
    certificates: Number(values.certificates),
    clients: Number(values.clients),
    networks: Number(values.networks),
  });
  const requested = day.trueRequests.filter((n) => n > 0).length;
  console.log(
    `synthetic day: ${values.requests} requests, ${requested} of ${values.certificates} certificates ` +
      `requested, ${values.clients} client addresses in ${values.networks} networks ` +
      `(${day.rows.length} client-certificate pairs): generated in ${seconds(started)}`,
  );

  started = Date.now();
  const bounded = boundContributions(day.rows, bounds);
  const keptRequests = bounded.reduce((n, b) => n + b.boundedRequests, 0);
  console.log(
    `bounding C=${bounds.perClient} P=${bounds.perPrefix} K=${bounds.certificatesPerPrefix}: ` +
      `${seconds(started)}; bounded counts sum to ${percent(keptRequests / Number(values.requests))} of requests`,
  );

  const distinctClients = new Map<string, number>();
  for (const row of day.rows)
    distinctClients.set(row.serial, (distinctClients.get(row.serial) ?? 0) + 1);
  const old = new Map(
    day.serials
      .filter((s) => (distinctClients.get(s) ?? 0) >= OLD_K)
      .map((s) => [s, day.trueRequests[parseInt(s, 16)]]),
  );
  const outcomes: Outcome[] = [
    { label: `k = ${OLD_K} distinct clients (today)`, published: old },
    {
      label: 'bounding only (no noise)',
      published: new Map(bounded.map((b) => [b.serial, b.boundedRequests])),
    },
  ];
  for (const epsilon of values.epsilons!.split(',').map(Number)) {
    started = Date.now();
    const noise = calibrate({ epsilon, delta, ...bounds });
    const release = releaseCounts(bounded, noise);
    outcomes.push({
      label: `ε = ${epsilon}, δ = ${delta} (${seconds(started)})`,
      published: new Map(release.published.map((p) => [p.serial, p.noisyRequests])),
      noise: `${Math.sqrt(noise.noiseVariance).toFixed(1)} ${noise.threshold}`,
    });
  }
  console.log(`\nthe ${BUSIEST} busiest certificates, relative error |published - x| / x:`);
  report(day, bounded, outcomes);
  console.log(`\nCPU time ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s`);
}

main();
