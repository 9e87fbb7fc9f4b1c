/**
 * Shipper benchmark: what Firehose would bill, and how fast lines move, side
 * by side in one run against the moto stand-in. The headline compares the
 * shipper with what Fluent Bit and Vector do (one line per record,
 * PutRecordBatch of up to 500 records / 4 MiB); one PutRecord per line is
 * shown last, as the floor.
 *
 *   bash scripts/standins.sh start && npx tsx bench/ship/run.ts
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { LogType } from '../../core/ingest/schemas';
import { FIREHOSE, Packer, Shipper, billedBytes, validateLine } from '../../core/ingest/shipper';
import { acmeTraffic, ocspTraffic, TrafficOptions } from '../../core/traffic';
import { arns, awsPlacement } from '../../core/naming';

process.env.AWS_ENDPOINT_URL ??= 'http://127.0.0.1:4566';
process.env.AWS_ACCESS_KEY_ID ??= 'testing';
process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
process.env.AWS_REGION ??= 'us-east-1';

const options = (lines: number): TrafficOptions => ({
  seed: 2026,
  start: new Date('2026-11-27T00:00:00Z'),
  end: new Date('2026-11-28T00:00:00Z'),
  lines,
});

/** Where and when the bench ingests: at the traffic window's end, so every line is plausible. */
const INGESTION = { source: 'bench', now: options(0).end.getTime() };

/** Realistic input lines and their stored (validated) form. */
function sample(type: LogType, lines: number): { input: string[]; stored: string[] } {
  const gen = type === 'ocsp' ? ocspTraffic(options(lines)) : acmeTraffic(options(lines));
  const input: string[] = [];
  const stored: string[] = [];
  for (const item of gen) {
    input.push(JSON.stringify(item));
    const line = { lineNo: input.length, bytes: Buffer.from(input[input.length - 1]) };
    const result = validateLine(type, line, FIREHOSE.maxRecordBytes, INGESTION);
    if (!result || !('accepted' in result)) throw new Error(`bench line ${line.lineNo} rejected`);
    stored.push(result.accepted.text);
  }
  return { input, stored };
}

function billing(stored: string[]) {
  const raw = stored.reduce((n, l) => n + Buffer.byteLength(l), 0);
  const naive = stored.reduce((n, l) => n + billedBytes(Buffer.byteLength(l)), 0);
  const packer = new Packer();
  const batches = stored.flatMap((text, i) => packer.add({ lineNo: i + 1, text }));
  batches.push(...packer.drain());
  const packed = batches.flat().reduce((n, r) => n + billedBytes(r.data.length), 0);
  return { raw, naive: naive / raw, shipper: packed / raw, records: batches.flat().length };
}

/** moto keeps no IAM: any account will do for the stream's role. */
const BENCH_ACCOUNT = awsPlacement('123456789012', 'us-east-1');

async function withStream<T>(name: string, fn: (stream: string) => Promise<T>): Promise<T> {
  const s3 = new S3Client({ forcePathStyle: true });
  const firehose = new FirehoseClient({});
  const id = `bench-${name}-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket: id }));
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: id,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: arns.bucket(BENCH_ACCOUNT, id),
        RoleARN: arns.role(BENCH_ACCOUNT, 'bench'),
        Prefix: 'ocsp/',
      },
    }),
  );
  try {
    return await fn(id);
  } finally {
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: id }));
  }
}

async function naiveLinesPerSecond(stored: string[]): Promise<number> {
  const client = new FirehoseClient({ maxAttempts: 1 });
  return withStream('naive', async (stream) => {
    const started = performance.now();
    for (const line of stored)
      await client.send(
        new PutRecordCommand({ DeliveryStreamName: stream, Record: { Data: Buffer.from(line) } }),
      );
    return stored.length / ((performance.now() - started) / 1000);
  });
}

/** Fluent Bit / Vector: one line per record, batches of 500 records (or 4 MiB), one call at a time. */
async function agentLinesPerSecond(stored: string[]): Promise<number> {
  const client = new FirehoseClient({ maxAttempts: 1 });
  return withStream('agent', async (stream) => {
    const started = performance.now();
    let batch: Buffer[] = [];
    let bytes = 0;
    const flush = async () => {
      const result = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: stream,
          Records: batch.map((Data) => ({ Data })),
        }),
      );
      if (result.FailedPutCount) throw new Error(`${result.FailedPutCount} records failed`);
      batch = [];
      bytes = 0;
    };
    for (const line of stored) {
      const data = Buffer.from(line);
      if (batch.length === FIREHOSE.maxBatchRecords || bytes + data.length > FIREHOSE.maxBatchBytes)
        await flush();
      batch.push(data);
      bytes += data.length;
    }
    if (batch.length > 0) await flush();
    return stored.length / ((performance.now() - started) / 1000);
  });
}

async function shipperLinesPerSecond(input: string[]): Promise<number> {
  const client = new FirehoseClient({ maxAttempts: 1 });
  return withStream('shipper', async (stream) => {
    const started = performance.now();
    const shipper = new Shipper({
      client,
      type: 'ocsp',
      streams: [stream],
      source: INGESTION.source,
      clock: () => INGESTION.now,
      sinks: {
        reject: (r) => {
          throw new Error(`bench input rejected: ${r.reason}`);
        },
        deadLetter: (_l, _n, error) => {
          throw new Error(`bench lines dead-lettered: ${error}`);
        },
      },
    });
    // Validation included: the shipper's number is end to end, the naive one is transport only.
    for (let i = 0; i < input.length; i++)
      await shipper.write({ lineNo: i + 1, bytes: Buffer.from(input[i]) });
    const stats = await shipper.close();
    if (stats.delivered !== input.length) throw new Error('shipper did not deliver every line');
    return input.length / ((performance.now() - started) / 1000);
  });
}

async function main() {
  const ocsp = sample('ocsp', 100_000);
  const acme = sample('acme', 20_000);
  const rows = [
    ['OCSP', billing(ocsp.stored)],
    ['ACME', billing(acme.stored)],
  ] as const;
  console.log('Billed bytes ÷ raw bytes (each Firehose record rounded up to 5 KiB)');
  for (const [name, b] of rows) {
    const avg = Math.round(b.raw / (name === 'OCSP' ? ocsp.stored.length : acme.stored.length));
    console.log(
      `  ${name}: avg line ${avg} B | one line per record ${b.naive.toFixed(2)}× | shipper ${b.shipper.toFixed(4)}× ` +
        `(${b.records} records) | one line per record bills ${(b.naive / b.shipper).toFixed(1)}× the shipper`,
    );
  }

  const naiveLines = ocsp.stored.slice(0, 2_000);
  const agent = await agentLinesPerSecond(ocsp.stored.slice(0, 50_000));
  const shipper = await shipperLinesPerSecond(ocsp.input.slice(0, 50_000));
  const naive = await naiveLinesPerSecond(naiveLines);
  console.log('Throughput against the moto stand-in (OCSP lines/s)');
  console.log(`  shipper, validated + packed (50000 lines): ${Math.round(shipper)} lines/s`);
  console.log(
    `  Fluent Bit / Vector style, 1 line per record, PutRecordBatch of 500 (50000 lines): ${Math.round(agent)} lines/s`,
  );
  console.log(`  shipper ÷ agent style: ${(shipper / agent).toFixed(2)}× (the headline)`);
  console.log(
    `  floor, one PutRecord per line (${naiveLines.length} lines): ${Math.round(naive)} lines/s; shipper ÷ floor ${(shipper / naive).toFixed(1)}×`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
