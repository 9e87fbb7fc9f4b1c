/**
 * How much concurrency can buy on the stand-in before moto itself is the
 * bottleneck. Calls per second of single S3 and DynamoDB calls, and of one
 * hold step (legal hold ON, the coverage Query, the conditional `held`
 * UpdateItem: the 3 calls a hold makes per version), at rising concurrency,
 * side by side in one run:
 *   - moto directly;
 *   - through the latency proxy with profile `none` (the proxy's own cost);
 *   - through the latency proxy with profile `aws` (AWS's latencies), where
 *     c calls in flight can at best finish c / latency per second.
 *
 *   npx tsx bench/sizing/standin-ceiling.ts [--seconds 2] [--concurrency 1,4,16,32,64,128]
 *
 * Needs moto at AWS_ENDPOINT_URL; give it a moto of its own
 * (.venv/bin/moto_server -p 4570) so other work does not skew it. With
 * `--moto-pid` (default: .run/moto.pid) it also reads moto's CPU time per
 * unit from /proc: moto serves one call at a time per core (Python's GIL), so
 * 1,000 ÷ CPU ms per call is its ceiling on an idle core, however loaded
 * this machine is while measuring.
 * docs/sizing.md has a measured run and what it means for bench/hold and bench/seal.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  awsProfile,
  latencyOf,
  LatencyProfile,
  noneProfile,
} from '../../local/latency-proxy/profiles';
import { startLatencyProxy } from '../../local/latency-proxy/server';
import { cpuSeconds } from '../support/bench-moto';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const region = process.env.AWS_REGION ?? 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const run = Date.now().toString(36);
const Bucket = `ceiling-${run}`;
const TableName = `ceiling-${run}`;
const SEEDED = 256;

interface Clients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
}

interface Workload {
  readonly name: string;
  /** Modelled minimum time of one unit under the aws profile, ms (calls in sequence). */
  readonly modelMs: number;
  /** One unit of work; `i` is unique within the run. */
  readonly unit: (c: Clients, i: number) => Promise<unknown>;
}

const versions: string[] = [];
const seeded = (i: number) => ({
  Bucket,
  Key: `seeded/${i % SEEDED}`,
  VersionId: versions[i % SEEDED],
});
const ms = (service: string, operation: string) => latencyOf(awsProfile, service, operation);

const workloads: Workload[] = [
  {
    name: 's3 PutObject 1 KiB',
    modelMs: ms('s3', 'PutObject'),
    unit: (c, i) =>
      c.s3.send(
        new PutObjectCommand({ Bucket, Key: `put/p${i % 64}/o${i}`, Body: 'x'.repeat(1024) }),
      ),
  },
  {
    name: 's3 HeadObject',
    modelMs: ms('s3', 'HeadObject'),
    unit: (c, i) => c.s3.send(new HeadObjectCommand(seeded(i))),
  },
  {
    name: 's3 PutObjectLegalHold',
    modelMs: ms('s3', 'PutObjectLegalHold'),
    unit: (c, i) =>
      c.s3.send(
        new PutObjectLegalHoldCommand({
          ...seeded(i),
          LegalHold: { Status: i % 2 ? 'ON' : 'OFF' },
          ChecksumAlgorithm: 'SHA256',
        }),
      ),
  },
  {
    name: 'dynamodb PutItem',
    modelMs: ms('dynamodb', 'PutItem'),
    unit: (c, i) =>
      c.dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: `case#${i % 16}` }, sk: { S: `v#${i}` } },
        }),
      ),
  },
  {
    name: 'hold step (3 calls)',
    modelMs:
      ms('s3', 'PutObjectLegalHold') + ms('dynamodb', 'Query') + ms('dynamodb', 'UpdateItem'),
    unit: async (c, i) => {
      const v = seeded(i);
      await c.s3.send(
        new PutObjectLegalHoldCommand({
          ...v,
          LegalHold: { Status: 'ON' },
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      const pk = { S: `obj#${v.Key}#${v.VersionId}` };
      await c.dynamodb.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      );
      await c.dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk, sk: { S: `case#${i % 8}` } },
          UpdateExpression: 'SET #state = :held',
          ConditionExpression: 'attribute_not_exists(#state) OR #state <> :releasing',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':held': { S: 'held' }, ':releasing': { S: 'releasing' } },
        }),
      );
    },
  },
];

function clients(endpoint: string): Clients {
  // Enough sockets that the client never queues below the concurrency under test.
  const requestHandler = { httpAgent: new Agent({ keepAlive: true, maxSockets: 1024 }) };
  const common = { endpoint, region, credentials, maxAttempts: 1, requestHandler };
  return {
    s3: new S3Client({ ...common, forcePathStyle: true }),
    dynamodb: new DynamoDBClient(common),
  };
}

let next = 0;

/** Units completed per second with `concurrency` workers looping for `seconds`, and how many. */
async function rate(
  c: Clients,
  w: Workload,
  concurrency: number,
  seconds: number,
): Promise<{ perSecond: number; units: number }> {
  const start = performance.now();
  const until = start + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await w.unit(c, next++);
        done++;
      }
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), units: done };
}

async function setUp(c: Clients): Promise<void> {
  await c.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  await c.dynamodb.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    }),
  );
  for (let i = 0; i < SEEDED; i++) {
    const put = await c.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: `seeded/${i}`,
        Body: '{}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    versions.push(put.VersionId!);
  }
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

interface Target {
  readonly name: string;
  readonly clients: Clients;
}

/** One workload at every level on every target: rates, and CPU ms per unit of moto and of this process. */
async function measureWorkload(
  w: Workload,
  targets: Target[],
  levels: number[],
  seconds: number,
  motoPid: number | undefined,
) {
  const rates: number[][] = [];
  const motoCpu: number[] = [];
  const nodeCpu: number[] = [];
  for (const t of targets) {
    const row: number[] = [];
    let moto = 0;
    let node = 0;
    let units = 0;
    for (const level of levels) {
      const before = { moto: cpuSeconds(motoPid) ?? NaN, node: process.cpuUsage() };
      const r = await rate(t.clients, w, level, seconds);
      const used = process.cpuUsage(before.node);
      moto += (cpuSeconds(motoPid) ?? NaN) - before.moto;
      node += (used.user + used.system) / 1e6;
      units += r.units;
      row.push(r.perSecond);
    }
    rates.push(row);
    motoCpu.push((moto * 1000) / units);
    nodeCpu.push((node * 1000) / units);
  }
  return { rates, motoCpu, nodeCpu };
}

function report(
  w: Workload,
  targets: Target[],
  levels: number[],
  m: Awaited<ReturnType<typeof measureWorkload>>,
) {
  targets.forEach((t, i) => {
    const cells = m.rates[i].map((r) => fmt(r).padStart(7)).join(' ');
    const cpu = `moto ${m.motoCpu[i].toFixed(1)} + this process ${m.nodeCpu[i].toFixed(1)} CPU ms a unit`;
    console.log(`${(i === 0 ? w.name : '').padEnd(22)} ${t.name.padEnd(14)} ${cells}  ${cpu}`);
  });
  const ideal = levels.map((l) => fmt((l * 1000) / w.modelMs).padStart(7));
  console.log(
    `${''.padEnd(22)} ${'aws ideal'.padEnd(14)} ${ideal.join(' ')}  (c / ${w.modelMs} ms)`,
  );
  const [direct, , modelled] = m.rates;
  const ceiling = Number.isFinite(m.motoCpu[0])
    ? `, idle-core ceiling ${fmt(1000 / m.motoCpu[0])}/s`
    : '';
  return (
    `${w.name.padEnd(22)} moto's best ${fmt(Math.max(...direct))}/s${ceiling}; under the aws model ` +
    `${fmt(modelled[0])}/s at c=${levels[0]}, best ${fmt(Math.max(...modelled))}/s: ` +
    `${(Math.max(...modelled) / modelled[0]).toFixed(1)}x (AWS: up to ${levels.at(-1)}x)`
  );
}

function options() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '1,4,16,32,64,128' },
      'moto-pid': { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const levels = values.concurrency.split(',').map(Number);
  const moto = process.env.AWS_ENDPOINT_URL;
  if (!moto || !(seconds > 0) || levels.some((l) => !Number.isInteger(l) || l < 1))
    throw new Error(
      'set AWS_ENDPOINT_URL to moto; --seconds > 0; --concurrency whole numbers >= 1',
    );
  const pidFile = '.run/moto.pid';
  const pidText = values['moto-pid'] ?? (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : '');
  return { seconds, levels, moto, motoPid: pidText.trim() === '' ? undefined : Number(pidText) };
}

async function main(): Promise<void> {
  const { seconds, levels, moto, motoPid } = options();
  const profiles: [string, LatencyProfile | undefined][] = [
    ['moto directly', undefined],
    ['proxy, none', noneProfile],
    ['proxy, aws', awsProfile],
  ];
  const proxies = await Promise.all(
    profiles.map(([, p]) => (p ? startLatencyProxy({ target: moto, profile: p }) : undefined)),
  );
  const targets = profiles.map(([name], i) => ({
    name,
    clients: clients(proxies[i]?.url ?? moto),
  }));
  await setUp(targets[0].clients);
  const load = () => loadavg()[0].toFixed(1);
  console.log(`moto at ${moto}; ${seconds} s per cell; units completed per second; load ${load()}`);
  const header = ['workload', 'target', ...levels.map((l) => `c=${l}`)];
  console.log(header.map((h, i) => (i < 2 ? h.padEnd(i ? 14 : 22) : h.padStart(7))).join(' '));
  const summary: string[] = [];
  for (const w of workloads)
    summary.push(
      report(w, targets, levels, await measureWorkload(w, targets, levels, seconds, motoPid)),
    );
  console.log(`\n${summary.join('\n')}\nload ${load()} at the end`);
  await Promise.all(proxies.map((p) => p?.close()));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
