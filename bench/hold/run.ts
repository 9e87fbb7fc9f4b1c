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
 *     [--dynamodb-endpoint http://127.0.0.1:4571]
 *
 * Each size is seeded once; every target then holds the same versions under
 * cases of its own (a version held by several cases costs the same calls).
 * The sequential loop runs on the first `--sequential` versions, the bounded
 * path on all of them, and objects/s is compared. `--full-size-targets model`
 * runs moto directly and the lower model on `--sequential` × 10 versions
 * only, from 10,000 versions on, so a 100k run stays within the hour.
 * What is timed is the hold once the scope is known: open the case, record
 * pending memberships, then per version legal hold ON, coverage read,
 * membership held, then count and close (the pending writes before it are
 * timed apart: see `hold`). The scope listing is left out:
 * moto's ListObjectVersions deep-copies every version in the bucket on each
 * call (O(bucket) per page), while S3 pages in constant time.
 *
 * Run it against a moto of its own, so other work does not skew it, started
 * through bench/support/moto_server_for_benches.py: moto's Query reads the
 * whole table and its TransactWriteItems copies it once per action, so on
 * plain moto every coverage read grows with the registry (O(table) per
 * version) where DynamoDB's reads one partition; that server changes those
 * costs, not the answers:
 *   .venv/bin/python bench/support/moto_server_for_benches.py -H 127.0.0.1 -p 4570 &
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4570 npx tsx bench/hold/run.ts
 * `--dynamodb-endpoint` names a second such moto for the registry's tables
 * (copied there at start), so S3 and DynamoDB each have a process, as each
 * is a fleet of its own on AWS. Per modelled run the bench prints each
 * operation's requests per version and moto's own mean time against the
 * model's: where moto's exceeds the model, moto sets the pace, not the model.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRequest } from '../../core/holds/case';
import type { HoldDeps } from '../../core/holds/deps';
import { mapBounded } from '../../core/pool';
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

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PER_HOUR = 500;
const BODY = '{"ts":"x"}\n';

interface Seeded {
  readonly versions: ObjectVersion[];
  readonly from: string;
  readonly to: string;
}

let day = 0;

/** Writes `n` one-line objects, PER_HOUR per hourly prefix, from a fresh day on. */
async function seed(f: HoldFixture, n: number): Promise<Seeded> {
  const start = Date.UTC(2026, 0, 1) + day * 86_400_000;
  day += Math.ceil(n / PER_HOUR / 24) + 1;
  const keys = Array.from({ length: n }, (_, i) => {
    const hour = new Date(start + Math.floor(i / PER_HOUR) * 3_600_000).toISOString();
    return `acme/${hour.slice(0, 4)}/${hour.slice(5, 7)}/${hour.slice(8, 10)}/${hour.slice(11, 13)}/obj-${i}`;
  });
  const versions = await mapBounded(keys, 64, async (key): Promise<ObjectVersion> => {
    const put = await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: key,
        Body: BODY,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    return { bucket: f.archive, key, versionId: put.VersionId!, size: BODY.length };
  });
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

/**
 * Holds `versions` as one new case through `t`. The rate is of the
 * per-version path (flag, coverage read, `held`, then totals and close), the
 * part concurrency changes; opening the case and writing the pending
 * memberships (99 per TransactWriteItems, the same in both runs) is timed
 * apart, because moto deep-copies the whole table once per item of every
 * transaction, so on moto that step grows with the registry, which
 * DynamoDB's does not.
 */
async function hold(
  f: HoldFixture,
  t: BenchTarget,
  concurrency: number,
  seeded: Seeded,
  versions: ObjectVersion[],
): Promise<{ rate: number; seconds: number; pendingSeconds: number }> {
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
  const t1 = performance.now();
  const outcome = await finishApply(deps, request, todo);
  const seconds = (performance.now() - t1) / 1000;
  if (outcome.result !== 'complete' || outcome.objectCount !== versions.length)
    throw new Error(`${request.caseId}: ${outcome.result}, ${outcome.objectCount} objects`);
  const summary = requestSummary(t, versions.length);
  if (summary) console.log(`  ${t.label}, ${concurrency} at a time:\n${summary}`);
  return { rate: versions.length / seconds, seconds, pendingSeconds: (t1 - t0) / 1000 };
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

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

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      sequential: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '32' },
      's3-ms': { type: 'string', default: '20,100' },
      'full-size-targets': { type: 'string', default: 'all' },
      'dynamodb-endpoint': { type: 'string' },
    },
  });
  const concurrency = Number(values.concurrency);
  const sample = Number(values.sequential);
  const f = await loadHoldFixture();
  const dynamodbEndpoint = values['dynamodb-endpoint'];
  if (dynamodbEndpoint) await copyRegistryTables(f, dynamodbEndpoint);
  const { targets, close } = await latencyTargets(values['s3-ms'].split(',').map(Number), {
    dynamodbEndpoint,
  });
  const began = Date.now();
  console.log(
    `bench/hold: moto at ${process.env.AWS_ENDPOINT_URL}` +
      `${dynamodbEndpoint ? `, DynamoDB's at ${dynamodbEndpoint}` : ''}; load ${loadAverage()}`,
  );
  for (const n of values.sizes.split(',').map(Number)) {
    const t0 = Date.now();
    const seeded = await seed(f, n);
    console.log(`\n${n} versions, seeded in ${fmt((Date.now() - t0) / 1000, 0)} s`);
    const rows = [
      [
        'target',
        'sequential',
        `${concurrency} at a time`,
        'ratio',
        'bounded run',
        'pending writes',
      ],
    ];
    for (const [i, t] of targets.entries()) {
      const full = values['full-size-targets'] === 'all' || n < 10_000 || i === targets.length - 1;
      const bounded = full ? seeded.versions : seeded.versions.slice(0, sample * 10);
      const seq = await hold(f, t, 1, seeded, seeded.versions.slice(0, sample));
      const par = await hold(f, t, concurrency, seeded, bounded);
      console.log(
        `  ${t.label}: ${fmt(seq.rate)}/s one at a time, ${fmt(par.rate)}/s ${concurrency} at a time`,
      );
      rows.push([
        t.label,
        `${fmt(seq.rate)}/s (${sample})`,
        `${fmt(par.rate)}/s (${bounded.length})`,
        `${(par.rate / seq.rate).toFixed(2)}x`,
        `${fmt(par.seconds)} s`,
        `${fmt(par.pendingSeconds)} s`,
      ]);
    }
    printTable(rows);
    console.log(`${n}: ${fmt((Date.now() - t0) / 1000, 0)} s in all; load ${loadAverage()}`);
  }
  console.log(`\nbench/hold ran ${fmt((Date.now() - began) / 60_000)} min`);
  await close();
}

const loadAverage = () => fmt(loadavg()[0]);

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
