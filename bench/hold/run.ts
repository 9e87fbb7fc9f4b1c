/**
 * Objects held per second against the stand-in (moto, real HTTP): the
 * bounded-concurrency path the hold functions use vs a sequential loop
 * (concurrency 1), same code, same kind of objects, one run.
 *
 *   npx tsx bench/hold/run.ts [--sizes 10000] [--sequential 1000] [--concurrency 32]
 *
 * Each size gets its own time range of fresh objects. The sequential loop is
 * measured on `--sequential` objects; objects/s is what is compared.
 * `--sizes 10000,100000` adds 100k (about 30 minutes on moto, docs/holds.md).
 * Run it against a moto of its own so other work does not skew it:
 *   .venv/bin/moto_server -H 127.0.0.1 -p 4570 &
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4570 npx tsx bench/hold/run.ts --sizes 10000,100000
 * The threshold is raised to each size, so this measures the direct path;
 * above it S3 Batch Operations sets the flags, which moto cannot measure.
 */
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mapBounded } from '../../lambdas/shared/holds/plan';
import { applyHold } from '../../lambdas/shared/holds/service';
import { loadHoldFixture } from '../../test/holds/hold-fixture';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PER_HOUR = 500;

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000' },
      sequential: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '32' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const concurrency = Number(values.concurrency);
  const f = await loadHoldFixture();
  let day = 0;

  /** Writes `n` one-line objects, PER_HOUR per hourly prefix, from a fresh day on. */
  const seed = async (n: number) => {
    const start = Date.UTC(2026, 0, 1) + day * 86_400_000;
    day += Math.ceil(n / PER_HOUR / 24) + 1;
    const keys = Array.from({ length: n }, (_, i) => {
      const hour = new Date(start + Math.floor(i / PER_HOUR) * 3_600_000).toISOString();
      return `acme/${hour.slice(0, 4)}/${hour.slice(5, 7)}/${hour.slice(8, 10)}/${hour.slice(11, 13)}/obj-${i}`;
    });
    await mapBounded(keys, 64, (Key) =>
      f.clients.s3.send(
        new PutObjectCommand({
          Bucket: f.archive,
          Key,
          Body: '{"ts":"x"}\n',
          ChecksumAlgorithm: 'SHA256',
        }),
      ),
    );
    const hours = Math.ceil(n / PER_HOUR);
    return {
      from: new Date(start).toISOString(),
      to: new Date(start + hours * 3_600_000).toISOString(),
    };
  };

  const measure = async (
    label: string,
    n: number,
    c: number,
    scope: { from: string; to: string },
  ) => {
    const t0 = performance.now();
    const outcome = await applyHold(
      { ...f.deps, concurrency: c, largeScopeThreshold: Math.max(n, 1) },
      {
        case: {
          caseId: `BENCH-${label}-${n}-${scope.from.slice(0, 10)}`,
          dataset: 'acme',
          scope: { ...scope, filters: {} },
          reason: 'benchmark',
          ticket: 'BENCH',
          requester: 'bench',
        },
        dryRun: false,
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    if (outcome.result !== 'complete' || outcome.objectCount !== n)
      throw new Error(`${label} ${n}: ${outcome.result}, ${outcome.objectCount} objects`);
    const rate = n / seconds;
    console.log(
      `${label.padEnd(10)} concurrency ${String(c).padStart(3)}  ${String(n).padStart(6)} objects  ` +
        `${seconds.toFixed(1).padStart(7)} s  ${rate.toFixed(0).padStart(5)} objects/s`,
    );
    return rate;
  };

  console.log(
    `moto at ${process.env.AWS_ENDPOINT_URL}; apply = list versions, record pending memberships ` +
      '(25 per request), then per version: legal hold, tag read and write, membership held',
  );
  for (const n of sizes) {
    const sample = Math.min(n, Number(values.sequential));
    // Both sets are written first, so both runs meet moto holding the same state.
    const seeded = Date.now();
    const sequentialScope = await seed(sample);
    const boundedScope = await seed(n);
    console.log(`seeded ${sample + n} objects in ${((Date.now() - seeded) / 1000).toFixed(0)} s`);
    const sequential = await measure('sequential', sample, 1, sequentialScope);
    const bounded = await measure('bounded', n, concurrency, boundedScope);
    console.log(`ratio bounded/sequential at ${n}: ${(bounded / sequential).toFixed(2)}x`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
