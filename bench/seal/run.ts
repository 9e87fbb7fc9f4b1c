/**
 * Sealing and verification throughput: objects sealed per second one at a
 * time and `--concurrency` at a time, same code, in one run, against moto
 * directly and against moto behind the latency proxy (AWS's figures; S3 at
 * each `--s3-ms`: 20 ms, the low end of "tens of milliseconds", and 100 ms,
 * the low end of "roughly 100–200 ms"; docs/sizing.md cites both).
 *
 *   npx tsx bench/seal/run.ts [--objects 2000] [--sequential 100] [--concurrency 16] [--s3-ms 20,100]
 *
 * Per target it lands `--objects` small NDJSON objects (Firehose-style keys),
 * seals the first `--sequential` one at a time and the rest concurrently (four
 * S3 calls each: GET, PUT, HEAD, DELETE). Then, once, the hour's signed digest
 * and `verify` over the chain: objects/s, and MiB/s of digests read.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeDigests } from '../../core/sealing/digest';
import { addHours, hourOf, hourPath } from '../../core/sealing/keys';
import { mapBounded } from '../../core/pool';
import { sealObject } from '../../core/sealing/seal';
import { verifyArchive } from '../../core/sealing/verify';
import { acmeRecord, sealingFixture, type SealingFixture } from '../../test/core/sealing/fixture';
import {
  latencyTargets,
  printTable,
  requestSummary,
  resetRequestCounts,
  type BenchTarget,
} from '../support/latency-targets';

// Valid stored ACME events, so every object is sealed, not quarantined.
const line = (i: number, j: number) => JSON.stringify(acmeRecord(`bench-${i}-${j}`)) + '\n';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, (performance.now() - start) / 1000];
}

/** Lands `n` objects for target `index` straight on moto (not timed). */
async function land(f: SealingFixture, index: number, n: number): Promise<string[]> {
  const hour = hourPath(hourOf(new Date()));
  const keys = Array.from(
    { length: n },
    (_, i) => `acme/${hour}/bench-acme-${index}-1-${String(i).padStart(6, '0')}`,
  );
  await mapBounded(keys, 32, (key, i) =>
    f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.landing,
        Key: key,
        Body: Array.from({ length: 5 }, (_, j) => line(i, j)).join(''),
      }),
    ),
  );
  return keys;
}

/** Seals `keys` through `t`, `concurrency` at a time; objects per second. */
async function seal(f: SealingFixture, t: BenchTarget, keys: string[], concurrency: number) {
  const ctx = { ...f.seal, s3: t.s3 };
  resetRequestCounts(t);
  const [outcomes, seconds] = await timed(() =>
    mapBounded(keys, concurrency, (k) => sealObject(ctx, k)),
  );
  const notSealed = outcomes.filter((o) => o.status !== 'sealed');
  if (notSealed.length > 0) throw new Error(`${notSealed.length} objects not sealed`);
  const quarantined = outcomes.filter((o) => o.quarantine).length;
  if (quarantined > 0) throw new Error(`${quarantined} objects quarantined`);
  const summary = requestSummary(t, keys.length);
  if (summary) console.log(`  ${t.label}, ${concurrency} at a time:\n${summary}`);
  return { rate: keys.length / seconds, seconds };
}

/** Digests and verify over everything sealed, once, against moto directly. */
async function digestAndVerify(f: SealingFixture, start: Date, concurrency: number) {
  const through = hourOf(new Date());
  const [{ written }, digestSeconds] = await timed(() =>
    writeDigests({ ...f.digest, concurrency }, { through, genesis: addHours(start, -1) }),
  );
  const [report, verifySeconds] = await timed(() =>
    verifyArchive({ ...f.verify, concurrency }, { from: addHours(start, -1), to: through }),
  );
  if (report.findings.length > 0)
    throw new Error(`verify found ${report.findings.length} findings`);
  const MiB = 1048576;
  console.log(
    `write digests: ${written.length} digests, ${written.reduce((s, w) => s + w.objects, 0)} ` +
      `entries in ${digestSeconds.toFixed(1)} s\n` +
      `verify: ${(report.objects / verifySeconds).toFixed(1)} objects/s (${report.objects} in ` +
      `${verifySeconds.toFixed(1)} s), digests read ${(report.digestBytes / MiB / verifySeconds).toFixed(2)} MiB/s, ` +
      `objects re-hashed ${(report.objectBytes / MiB / verifySeconds).toFixed(2)} MiB/s`,
  );
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { values } = parseArgs({
    options: {
      objects: { type: 'string', default: '2000' },
      sequential: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '16' },
      's3-ms': { type: 'string', default: '20,100' },
    },
  });
  const [total, sample, concurrency] = [values.objects, values.sequential, values.concurrency].map(
    Number,
  );
  const began = Date.now();
  const f = await sealingFixture();
  const start = hourOf(new Date());
  const { targets, close } = await latencyTargets(values['s3-ms'].split(',').map(Number));
  console.log(
    `bench/seal: moto at ${process.env.AWS_ENDPOINT_URL}; load ${loadavg()[0].toFixed(1)}`,
  );
  const rows = [['target', 'one at a time', `${concurrency} at a time`, 'ratio']];
  for (const [i, t] of targets.entries()) {
    const keys = await land(f, i, total);
    const seq = await seal(f, t, keys.slice(0, sample), 1);
    const par = await seal(f, t, keys.slice(sample), concurrency);
    rows.push([
      t.label,
      `${seq.rate.toFixed(1)}/s (${sample})`,
      `${par.rate.toFixed(1)}/s (${total - sample})`,
      `${(par.rate / seq.rate).toFixed(2)}x`,
    ]);
  }
  printTable(rows);
  await close();
  await digestAndVerify(f, start, concurrency);
  console.log(
    `bench/seal ran ${((Date.now() - began) / 60000).toFixed(1)} min; load ${loadavg()[0].toFixed(1)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
