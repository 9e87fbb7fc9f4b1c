/**
 * Objects held per second, the bounded-concurrency path the hold functions
 * use against a sequential loop (concurrency 1), same code, same objects, in
 * one run, against moto directly and against moto behind the latency proxy
 * (AWS's figures; S3 at each `--s3-ms`, default 20 ms, the low end of "tens
 * of milliseconds", and 100 ms, the low end of "roughly 100–200 ms";
 * docs/sizing.md cites both).
 *
 *   npx tsx bench/hold/run.ts [--sizes 10000,100000] [--sequential 300]
 *     [--concurrency 32] [--s3-ms 20,100] [--full-size-targets all|model]
 *     [--endpoint http://127.0.0.1:4570 [--dynamodb-endpoint http://127.0.0.1:4571]]
 *
 * With no `--endpoint` the bench starts two motos of its own from
 * bench/support/moto_server_for_benches.py, one for S3 and KMS and one for
 * the registry's DynamoDB tables (each is a fleet of its own on AWS; on one
 * Python process they queue behind each other), and stops them at the end.
 * That server answers as moto does but takes DynamoDB's order of time where
 * plain moto's grows with the table (Query reads one partition; a
 * transaction backs up only the items it names), and it seeds: each size's
 * versions are written through its S3 backend in one request per 10,000
 * (seeding is setup, not what is measured; the bench prints its rate).
 * `--endpoint` names such a server already running (no other kind seeds).
 *
 * Per size and target, in this order: the sequential loop on the first
 * `--sequential` versions, the bounded path on all of them, the sequential
 * loop again; the ratio is given as a range, the bounded rate over the
 * slower and over the faster sequential loop, so a load that changes during
 * the run cannot make it look better than the bracket. Each loop prints the
 * load average before and after, and each moto's CPU time per version and
 * share of the loop's wall time: a moto near 100 % busy sets the pace, not
 * logvault or the model. `--full-size-targets model` runs moto directly and
 * the lower model on `--sequential` × 10 versions only, from 10,000 on.
 *
 * What is timed is the hold once the scope is known: per version legal hold
 * ON, coverage read, membership held, then count and close. Opening the case
 * and the pending memberships (99 per TransactWriteItems, the same in both
 * loops) are timed apart. The scope listing is left out: moto's
 * ListObjectVersions deep-copies every version in the bucket on each call
 * (O(bucket) per page), while S3 pages in constant time. Per modelled run
 * the bench also prints each operation's requests per version and moto's own
 * mean time against the model's.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRequest } from '../../core/holds/case';
import type { HoldDeps } from '../../core/holds/deps';
import { HoldRegistry, type ObjectVersion } from '../../core/holds/registry';
import { finishApply, openCase, recordPending } from '../../core/holds/steps';
import { loadHoldFixture, type HoldFixture } from '../../test/holds/hold-fixture';
import {
  latencyTargets,
  printTable,
  requestSummary,
  resetRequestCounts,
  type BenchTarget,
} from '../support/latency-targets';
import { cpuSeconds, seedObjects, startBenchMotos } from '../support/bench-moto';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PER_HOUR = 500;
const BODY = '{"ts":"x"}\n';

interface Seeded {
  readonly versions: ObjectVersion[];
  readonly from: string;
  readonly to: string;
}

let day = 0;

/** Writes `n` one-line objects, PER_HOUR per hourly prefix, from a fresh day on, through the bench moto's seeding path. */
async function seed(f: HoldFixture, endpoint: string, n: number): Promise<Seeded> {
  const start = Date.UTC(2026, 0, 1) + day * 86_400_000;
  day += Math.ceil(n / PER_HOUR / 24) + 1;
  const keys = Array.from({ length: n }, (_, i) => {
    const hour = new Date(start + Math.floor(i / PER_HOUR) * 3_600_000).toISOString();
    return `acme/${hour.slice(0, 4)}/${hour.slice(5, 7)}/${hour.slice(8, 10)}/${hour.slice(11, 13)}/obj-${i}`;
  });
  const ids = await seedObjects(endpoint, f.accountId, f.archive, keys, BODY);
  const versions = keys.map((key, i) => ({
    bucket: f.archive,
    key,
    versionId: ids[i],
    size: BODY.length,
  }));
  const to = start + Math.ceil(n / PER_HOUR) * 3_600_000;
  return { versions, from: new Date(start).toISOString(), to: new Date(to).toISOString() };
}

/** The fixture's hold deps with every client talking to `t`. */
function depsFor(f: HoldFixture, t: BenchTarget, concurrency: number): HoldDeps {
  const doc = DynamoDBDocumentClient.from(t.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const { registry, caseKeys } = f.deps;
  return {
    ...f.deps,
    s3: t.s3,
    registry: new HoldRegistry(doc, registry.tableName, registry.auditTableName),
    caseKeys: { ...caseKeys, kms: t.kms },
    concurrency,
    largeScopeThreshold: Number.MAX_SAFE_INTEGER,
  };
}

let cases = 0;
// Case ids of this run apart from those an earlier run left in the same registry.
const RUN = Date.now().toString(36);

/** The motos a run is measured on, by role, with their pids where this bench started them. */
interface Motos {
  readonly s3: string;
  readonly dynamodb?: string;
  readonly pids: { readonly label: string; readonly pid?: number }[];
}

interface Loop {
  readonly rate: number;
  readonly seconds: number;
  readonly pendingSeconds: number;
  /** Load average before and after the timed part; CPU ms per version of each moto (and its busy share) and of this process. */
  readonly load: string;
  readonly motoCpu: string;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const loadAverage = () => fmt(loadavg()[0]);

/** What each moto (by pid) spent between `start` and now, per version and as a share of `seconds`. */
function motoCpuSince(
  motos: Motos,
  start: (number | undefined)[],
  versions: number,
  seconds: number,
) {
  return motos.pids
    .map(({ label, pid }, i) => {
      const used = (cpuSeconds(pid) ?? NaN) - (start[i] ?? NaN);
      if (!Number.isFinite(used)) return `${label} moto CPU unknown`;
      return `${label} moto ${fmt((used * 1000) / versions, 2)} CPU ms/version, ${fmt((100 * used) / seconds, 0)} % busy`;
    })
    .join('; ');
}

/**
 * Holds `versions` as one new case through `t`. The rate is of the
 * per-version path (flag, coverage read, `held`, then totals and close), the
 * part concurrency changes; opening the case and writing the pending
 * memberships (99 per TransactWriteItems, the same in both runs) is timed
 * apart.
 */
async function hold(
  f: HoldFixture,
  t: BenchTarget,
  motos: Motos,
  concurrency: number,
  seeded: Seeded,
  versions: ObjectVersion[],
): Promise<Loop> {
  const deps = depsFor(f, t, concurrency);
  const request: CaseRequest = {
    caseId: `BENCH-${RUN}-${++cases}-c${concurrency}-${versions.length}`,
    dataset: 'acme',
    scope: { from: seeded.from, to: seeded.to, filters: {} },
    reason: 'benchmark',
    ticket: 'BENCH',
    requester: 'bench',
  };
  const t0 = performance.now();
  await openCase(deps, request);
  const todo = await recordPending(deps, request.caseId, versions);
  resetRequestCounts(t);
  const loadBefore = loadAverage();
  const cpuBefore = motos.pids.map(({ pid }) => cpuSeconds(pid));
  const ownBefore = process.cpuUsage();
  const t1 = performance.now();
  const outcome = await finishApply(deps, request, todo);
  const seconds = (performance.now() - t1) / 1000;
  if (outcome.result !== 'complete' || outcome.objectCount !== versions.length)
    throw new Error(`${request.caseId}: ${outcome.result}, ${outcome.objectCount} objects`);
  const own = process.cpuUsage(ownBefore);
  const loop = {
    rate: versions.length / seconds,
    seconds,
    pendingSeconds: (t1 - t0) / 1000,
    load: `${loadBefore} -> ${loadAverage()}`,
    motoCpu:
      motoCpuSince(motos, cpuBefore, versions.length, seconds) +
      `; this process (logvault, SDK, proxies) ${fmt((own.user + own.system) / 1000 / versions.length, 2)} CPU ms/version`,
  };
  console.log(
    `  ${t.label}, ${concurrency} at a time: ${fmt(loop.rate)}/s over ${versions.length} in ${fmt(seconds)} s; ` +
      `load ${loop.load}; ${loop.motoCpu}`,
  );
  const summary = requestSummary(t, versions.length);
  if (summary) console.log(summary);
  return loop;
}

/** Creates the registry's tables, as the fixture's moto declares them, on the moto at `endpoint`. */
async function copyRegistryTables(f: HoldFixture, endpoint: string): Promise<void> {
  const to = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint });
  for (const name of [f.deps.registry.tableName, f.deps.registry.auditTableName]) {
    const { Table: t } = await f.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: name }),
    );
    const indexes = t!.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    }));
    await to
      .send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: t!.KeySchema,
          AttributeDefinitions: t!.AttributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: indexes?.length ? indexes : undefined,
        }),
      )
      .catch((error: unknown) => {
        // A rerun against the same moto: the table is there already.
        if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
      });
  }
  to.destroy();
}

function options() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      sequential: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '32' },
      's3-ms': { type: 'string', default: '20,100' },
      'full-size-targets': { type: 'string', default: 'all' },
      endpoint: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const sample = Number(values.sequential);
  const concurrency = Number(values.concurrency);
  if ([...sizes, sample, concurrency].some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--sizes, --sequential and --concurrency take whole numbers >= 1');
  if (values['dynamodb-endpoint'] && !values.endpoint)
    throw new Error('--dynamodb-endpoint needs --endpoint (without either the bench starts both)');
  return { ...values, sizes, sample, concurrency };
}

/** The motos named by `--endpoint`, or two of the bench's own. */
async function motosFor(
  o: ReturnType<typeof options>,
): Promise<{ motos: Motos; stop: () => void }> {
  if (o.endpoint) {
    const motos = { s3: o.endpoint, dynamodb: o['dynamodb-endpoint'], pids: [] };
    return { motos, stop: () => undefined };
  }
  const {
    motos: [s3, dynamodb],
    stop,
  } = await startBenchMotos(2);
  const pids = [
    { label: 'S3', pid: s3.pid },
    { label: 'DynamoDB', pid: dynamodb.pid },
  ];
  return { motos: { s3: s3.endpoint, dynamodb: dynamodb.endpoint, pids }, stop };
}

/** One size on every target: sequential, bounded, sequential again; a row per target. */
async function runSize(
  f: HoldFixture,
  o: ReturnType<typeof options>,
  motos: Motos,
  targets: BenchTarget[],
  n: number,
): Promise<void> {
  const t0 = Date.now();
  const seeded = await seed(f, motos.s3, n);
  const seedSeconds = (Date.now() - t0) / 1000;
  console.log(`\n${n} versions, seeded in ${fmt(seedSeconds)} s (${fmt(n / seedSeconds, 0)}/s)`);
  const c = o.concurrency;
  const rows = [
    [
      'target',
      'sequential before',
      `${c} at a time`,
      'sequential after',
      'ratio',
      'pending writes',
    ],
  ];
  for (const [i, t] of targets.entries()) {
    const full = o['full-size-targets'] === 'all' || n < 10_000 || i === targets.length - 1;
    const bounded = full ? seeded.versions : seeded.versions.slice(0, o.sample * 10);
    const sample = seeded.versions.slice(0, o.sample);
    const before = await hold(f, t, motos, 1, seeded, sample);
    const par = await hold(f, t, motos, c, seeded, bounded);
    const after = await hold(f, t, motos, 1, seeded, sample);
    const [slower, faster] = [Math.min(before.rate, after.rate), Math.max(before.rate, after.rate)];
    rows.push([
      t.label,
      `${fmt(before.rate)}/s (${sample.length})`,
      `${fmt(par.rate)}/s (${bounded.length}, ${fmt(par.seconds)} s)`,
      `${fmt(after.rate)}/s`,
      `${fmt(par.rate / faster, 2)}x-${fmt(par.rate / slower, 2)}x`,
      `${fmt(par.pendingSeconds)} s`,
    ]);
  }
  printTable(rows);
  console.log(`${n}: ${fmt((Date.now() - t0) / 1000, 0)} s in all; load ${loadAverage()}`);
}

async function main() {
  const o = options();
  const { motos, stop } = await motosFor(o);
  try {
    // The fixture's clients (and the stack it loads) go to the S3 moto.
    process.env.AWS_ENDPOINT_URL = motos.s3;
    const f = await loadHoldFixture();
    if (motos.dynamodb) await copyRegistryTables(f, motos.dynamodb);
    const { targets, close } = await latencyTargets(o['s3-ms'].split(',').map(Number), {
      dynamodbEndpoint: motos.dynamodb,
    });
    const began = Date.now();
    console.log(
      `bench/hold ${new Date().toISOString()}: ${o.endpoint ? '' : 'its own '}moto at ${motos.s3}` +
        `${motos.dynamodb ? `, DynamoDB's at ${motos.dynamodb}` : ''}; load ${loadAverage()}`,
    );
    for (const n of o.sizes) await runSize(f, o, motos, targets, n);
    console.log(`\nbench/hold ran ${fmt((Date.now() - began) / 60_000)} min`);
    await close();
  } finally {
    stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
