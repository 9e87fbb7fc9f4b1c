/**
 * What the daily aggregate buys: bytes read and wall time on Trino (Athena
 * engine v3's engine) of
 *   A. the daily per-certificate aggregation over one day of raw GZIP JSON
 *      (as production Firehose lands it), and
 *   B. a 30-day top-100 over the Parquet aggregate (ocsp_cert_daily, the
 *      fallback top-certificates-range-full), and
 *   R. the same 30-day top-100 from the daily rankings (ocsp_cert_rank_daily,
 *      top-certificates-range), which must say it was exact,
 * in the same run, plus C. a one-day top-100 over the raw JSON for a
 * like-for-like comparison with B's and R's per-day cost. Athena bills bytes
 * scanned, so the bytes ratio is the cost ratio.
 *
 *   npx tsx bench/query/run.ts [--lines 200000] [--certificates 20000]
 *
 * Needs moto and Trino (bash scripts/standins.sh start). The 30 days of
 * aggregates and rankings are the measured day's Parquet copied to 29 more
 * partitions: raw logs older than the raw window cannot exist, so they cannot
 * be generated. Identical days are the rankings' best case for exactness;
 * bytes read do not depend on it (a fallback reads R's bytes plus B's).
 */
import { parseArgs } from 'node:util';
import { CopyObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { aggregateDay, aggregateLayout } from '../../core/analytics/daily-aggregation';
import { addDays, formatDay, parseDay } from '../../core/time/days';
import { namedQueries, renderNamedQuery } from '../../core/query/named-query';
import { asksForFallback } from '../../core/query/answer-named-query';
import { QueryResult } from '../../core/query/runner';
import { generateTraffic, landAsFirehose } from '../../test/support/analytics-fixture';
import { StageOnStandins, loadStageOnStandins } from '../../test/support/trino';
import { deliveryStreamName } from '../../core/naming';
import { renderSqlFile, sql } from '../../core/query/sql';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    certificates: { type: 'string', default: '20000' },
  },
});
const lines = Number(values.lines);

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
const row = (label: string, r: QueryResult) =>
  `${label.padEnd(52)} ${mib(r.bytesScanned ?? 0).padStart(12)} ${`${(r.elapsedMs / 1000).toFixed(2)} s`.padStart(9)}`;

/** The day's Parquet under `layout` copied to the `days` before it: a month of it. */
async function copyToDaysBefore(
  stage: Awaited<ReturnType<typeof loadStageOnStandins>>,
  layout: (day: string) => string,
  day: string,
  days: number,
) {
  const { Contents = [] } = await stage.clients.s3.send(
    new ListObjectsV2Command({ Bucket: stage.buckets.aggregates, Prefix: layout(day) }),
  );
  for (let back = 1; back <= days; back++)
    for (const object of Contents)
      await stage.clients.s3.send(
        new CopyObjectCommand({
          Bucket: stage.buckets.aggregates,
          CopySource: `${stage.buckets.aggregates}/${object.Key}`,
          Key: object.Key!.replace(`day=${day}/`, `day=${addDays(day, -back)}/`),
        }),
      );
}

/** The 30-day top-100 from the full aggregate and from the rankings, which must agree exactly. */
async function thirtyDayTop(stage: StageOnStandins, day: string) {
  const queries = namedQueries();
  const range = { from: addDays(day, -29), to: day };
  const topRange = await stage.runner.run(
    renderNamedQuery(queries.get('top-certificates-range-full')!, range),
  );
  const ranked = await stage.runner.run(
    renderNamedQuery(queries.get('top-certificates-range')!, range),
  );
  if (asksForFallback(ranked))
    throw new Error('the rankings could not prove the bench range exact');
  if (
    JSON.stringify(ranked.rows.map((r) => r.slice(0, 4))) !==
    JSON.stringify(topRange.rows.map((r) => r.slice(0, 4)))
  )
    throw new Error('the rankings and the full aggregate answer differently');
  return { topRange, ranked };
}

async function main() {
  const stage = await loadStageOnStandins('dev');
  const today = formatDay(new Date());
  const day = addDays(today, -1);
  const traffic = generateTraffic({
    seed: 42,
    start: parseDay(day),
    end: parseDay(today),
    ocspLines: lines,
    acmeLines: 0,
    certificates: Number(values.certificates),
  });
  await landAsFirehose(stage.clients.s3, stage.buckets.ocspRawLogs, 'ocsp/', traffic.ocsp, {
    seed: 42,
    stream: deliveryStreamName(stage.config.stage, 'ocsp', 1),
    gzip: true,
    perObject: 20_000,
  });

  // A: the daily job's aggregation step, measured by the engine itself.
  const measured: QueryResult[] = [];
  const runner = {
    engine: stage.runner.engine,
    run: async (sql: string) => {
      const result = await stage.runner.run(sql);
      measured.push(result);
      return result;
    },
  };
  const job = await aggregateDay(
    day,
    { runner, s3: stage.clients.s3 },
    { aggregatesBucket: stage.buckets.aggregates, rawLogExpiryDays: 5 },
  );
  const aggregation = measured.find((r) => (r.bytesScanned ?? 0) > 0)!;

  await copyToDaysBefore(stage, aggregateLayout.aggregate, day, 29);
  await copyToDaysBefore(stage, aggregateLayout.rank, day, 29);

  const { topRange, ranked } = await thirtyDayTop(stage, day);
  const dayPath = day.replace(/-/g, '/');
  const rawTopDay = await stage.runner.run(
    renderSqlFile('bench/raw-top-certificates.sql', {
      first_hour: sql.string(`${dayPath}/00`),
      last_hour: sql.string(`${dayPath}/23`),
    }).text,
  );

  console.log(
    `one day of raw OCSP: ${lines} requests, ${job.certificates} certificates (GZIP JSON)`,
  );
  console.log(`${''.padEnd(52)} ${'bytes read'.padStart(12)} ${'wall'.padStart(9)}`);
  console.log(row('A  daily aggregation, 1 day raw JSON (CTAS)', aggregation));
  console.log(row('B  top-100 over 30 days of Parquet aggregate', topRange));
  console.log(row('R  top-100 over 30 days of daily rankings', ranked));
  console.log(row('C  top-100 over 1 day of raw JSON', rawTopDay));
  const ratio = (a: number | undefined, b: number | undefined) => ((a ?? 0) / (b || 1)).toFixed(1);
  console.log(
    `\nA/B: bytes ${ratio(aggregation.bytesScanned, topRange.bytesScanned)}x, ` +
      `wall ${ratio(aggregation.elapsedMs, topRange.elapsedMs)}x (one raw day vs thirty aggregate days)`,
  );
  console.log(
    `C/(B/30): a day read from raw GZIP JSON costs ` +
      `${ratio(rawTopDay.bytesScanned, (topRange.bytesScanned ?? 0) / 30)}x the bytes of the same day's aggregate`,
  );
  // The 30-day question over raw logs reads 30 raw days: C x 30.
  const ofRaw = (r: QueryResult) =>
    `${((100 * (r.bytesScanned ?? 0)) / (30 * (rawTopDay.bytesScanned || 1))).toFixed(2)} %`;
  console.log(
    `30-day top-100, bytes read as a share of 30 raw days (goal <= 1 %): ` +
      `aggregate (B) ${ofRaw(topRange)}, rankings (R, exact) ${ofRaw(ranked)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
