/**
 * Objects held per second against the stand-in (moto, real HTTP): the
 * bounded-concurrency path the hold functions use vs a sequential loop
 * (concurrency 1), same code, same kind of objects, one run.
 *
 *   npx tsx bench/hold/run.ts [--sizes 10000,100000] [--sequential 1000] [--concurrency 32]
 *
 * For each size, both sets are seeded first, so both runs meet moto holding
 * the same state; the sequential loop is measured on `--sequential` objects
 * and objects/s is what is compared. What is timed is the hold itself, as
 * applyHold runs it once the scope is known: open the case, record pending
 * memberships (25 per request), then per version legal hold ON, tag read and
 * write, membership held, then count and close. The scope listing is left
 * out on purpose: moto's ListObjectVersions deep-copies every version in the
 * bucket on each call, so listing 100k objects costs O(bucket) per page on
 * moto (and with 32 listings in flight moto grew to 22 GB and was killed),
 * while S3 pages in constant time. docs/holds.md has a measured run.
 *
 * Run it against a moto of its own, so other work does not skew it:
 *   .venv/bin/moto_server -H 127.0.0.1 -p 4570 &
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4570 npx tsx bench/hold/run.ts
 */
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { CaseRequest } from '../../core/holds/case';
import { mapBounded } from '../../core/pool';
import type { ObjectVersion } from '../../core/holds/registry';
import { finishApply, openCase, recordPending } from '../../core/holds/steps';
import { loadHoldFixture } from '../../test/holds/hold-fixture';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PER_HOUR = 500;
const BODY = '{"ts":"x"}\n';

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
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
  };

  const measure = async (label: string, c: number, seeded: Awaited<ReturnType<typeof seed>>) => {
    const n = seeded.versions.length;
    const deps = { ...f.deps, concurrency: c, largeScopeThreshold: Math.max(n, 1) };
    const request: CaseRequest = {
      caseId: `BENCH-${label}-${n}-${seeded.from.slice(0, 10)}`,
      dataset: 'acme',
      scope: { from: seeded.from, to: seeded.to, filters: {} },
      reason: 'benchmark',
      ticket: 'BENCH',
      requester: 'bench',
    };
    const t0 = performance.now();
    await openCase(deps, request);
    const todo = await recordPending(deps, request.caseId, seeded.versions);
    const outcome = await finishApply(deps, request, todo);
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

  console.log(`moto at ${process.env.AWS_ENDPOINT_URL}`);
  for (const n of sizes) {
    const started = Date.now();
    const sequentialSet = await seed(Math.min(n, Number(values.sequential)));
    const boundedSet = await seed(n);
    const total = sequentialSet.versions.length + n;
    console.log(`seeded ${total} objects in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const sequential = await measure('sequential', 1, sequentialSet);
    const bounded = await measure('bounded', concurrency, boundedSet);
    console.log(`ratio bounded/sequential at ${n}: ${(bounded / sequential).toFixed(2)}x`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
