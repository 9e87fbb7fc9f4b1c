/**
 * Sealing and verification throughput against the moto stand-in.
 *
 *   npx tsx bench/seal/run.ts [--objects 2000] [--concurrency 16]
 *
 * Lands N small NDJSON objects (Firehose-style keys), seals them with the
 * reconciler path, once sequentially on a sample and once concurrently on the
 * rest (ratio printed side by side), writes the hour's signed digest, then runs
 * `verify` over the chain: objects/s, and MiB/s of digests read. moto is a
 * single Python process: absolute numbers say little about S3, ratios do.
 * The default of 2000 objects runs in about two minutes; `--objects 10000`
 * takes about 8.5 minutes on moto (docs/sealing.md has both results).
 */
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeDigests } from '../../core/sealing/digest';
import { addHours, hourOf, hourPath } from '../../core/sealing/keys';
import { mapBounded } from '../../core/pool';
import { sealObject } from '../../core/sealing/seal';
import { verifyArchive } from '../../core/sealing/verify';
import { sealingFixture } from '../../test/core/sealing/fixture';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const total = Number(values.objects);
const concurrency = Number(values.concurrency);
const sample = Math.min(500, Math.floor(total / 10));
const line = (i: number, j: number) =>
  JSON.stringify({
    ts: new Date().toISOString(),
    type: 'new-order',
    account: String(100000000 + i),
    n: j,
  }) + '\n';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, (performance.now() - start) / 1000];
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const f = await sealingFixture();
  const hourStart = hourOf(new Date());
  const keys = Array.from(
    { length: total },
    (_, i) => `acme/${hourPath(hourStart)}/bench-acme-1-1-${String(i).padStart(6, '0')}`,
  );
  const [, landSeconds] = await timed(() =>
    mapBounded(keys, concurrency, (key, i) =>
      f.clients.s3.send(
        new PutObjectCommand({
          Bucket: f.landing,
          Key: key,
          Body: Array.from({ length: 5 }, (_, j) => line(i, j)).join(''),
        }),
      ),
    ),
  );
  const [, sequentialSeconds] = await timed(() =>
    mapBounded(keys.slice(0, sample), 1, (k) => sealObject(f.seal, k)),
  );
  const [, concurrentSeconds] = await timed(() =>
    mapBounded(keys.slice(sample), concurrency, (k) => sealObject(f.seal, k)),
  );
  const through = hourOf(new Date());
  const [{ written }, digestSeconds] = await timed(() =>
    writeDigests({ ...f.digest, concurrency }, { through, genesis: addHours(hourStart, -1) }),
  );
  const [report, verifySeconds] = await timed(() =>
    verifyArchive({ ...f.verify, concurrency }, { from: addHours(hourStart, -1), to: through }),
  );
  if (report.findings.length > 0)
    throw new Error(`verify found ${report.findings.length} findings`);

  const sequentialRate = sample / sequentialSeconds;
  const concurrentRate = (total - sample) / concurrentSeconds;
  const rows: [string, string][] = [
    ['objects', `${total} (5 lines, ~${Math.round(line(0, 0).length * 5)} B each)`],
    ['land (PutObject)', `${(total / landSeconds).toFixed(0)} objects/s`],
    [`seal, 1 at a time (${sample})`, `${sequentialRate.toFixed(1)} objects/s`],
    [
      `seal, ${concurrency} at a time (${total - sample})`,
      `${concurrentRate.toFixed(1)} objects/s`,
    ],
    ['  ratio concurrent / sequential', `${(concurrentRate / sequentialRate).toFixed(2)}x`],
    [
      'write digests',
      `${written.length} digests, ${written.reduce((s, w) => s + w.objects, 0)} entries in ${digestSeconds.toFixed(1)} s`,
    ],
    [
      'verify',
      `${(report.objects / verifySeconds).toFixed(1)} objects/s (${report.objects} objects in ${verifySeconds.toFixed(1)} s)`,
    ],
    [
      'verify, digests read',
      `${(report.digestBytes / 1048576 / verifySeconds).toFixed(2)} MiB/s (${(report.digestBytes / 1048576).toFixed(2)} MiB)`,
    ],
    [
      'verify, objects re-hashed',
      `${(report.objectBytes / 1048576 / verifySeconds).toFixed(2)} MiB/s`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`bench/seal against ${process.env.AWS_ENDPOINT_URL}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
