/**
 * What counting each line once costs: bytes read and wall time on Trino
 * (Athena engine v3's engine) of the daily job's per-certificate aggregation
 * over one day of raw GZIP JSON (as production Firehose lands it), with the
 * line_id deduplication (sql/fragments/once-per-line.sql, what the job runs)
 * and without it (every stored copy counted), on the same data in the same
 * run. A share of the lines is stored twice (a re-shipped slice), so the two
 * also differ in their answer, which is printed. Athena bills bytes scanned,
 * so the bytes ratio is the cost ratio.
 *
 *   npx tsx bench/query/dedup.ts [--lines 100000] [--duplicated 0.05]
 *
 * Needs moto and Trino (bash scripts/standins.sh start).
 */
import { parseArgs } from 'node:util';
import { addDays, formatDay, parseDay } from '../../core/time/days';
import { dayWindow } from '../../core/time/finality';
import { QueryResult } from '../../core/query/runner';
import { generateTraffic, landAsFirehose } from '../../test/support/analytics-fixture';
import { loadStageOnStandins } from '../../test/support/trino';
import { deliveryStreamName } from '../../core/naming';
import { renderSqlFile, sql } from '../../core/query/sql';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000' },
    duplicated: { type: 'string', default: '0.05' },
  },
});
const lines = Number(values.lines);

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
const requestsOf = (r: QueryResult) => r.rows.reduce((sum, row) => sum + Number(row[2]), 0);
const row = (label: string, r: QueryResult) =>
  `${label.padEnd(40)} ${mib(r.bytesScanned ?? 0).padStart(12)} ${`${(r.elapsedMs / 1000).toFixed(2)} s`.padStart(9)} ${String(requestsOf(r)).padStart(10)}`;

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
    certificates: 20_000,
  });
  const resent = traffic.ocsp.slice(0, Math.round(lines * Number(values.duplicated)));
  // Two streams, as two deliveries of the same lines: distinct object keys, nothing overwritten.
  for (const [stream, records] of [
    [1, traffic.ocsp],
    [2, resent],
  ] as const)
    await landAsFirehose(stage.clients.s3, stage.buckets.ocspRawLogs, 'ocsp/', records, {
      seed: 42 + stream,
      stream: deliveryStreamName(stage.config.stage, 'ocsp', stream),
      gzip: true,
      perObject: 20_000,
    });

  const window = dayWindow(day);
  const params = {
    date: sql.string(day),
    date_first_hour: sql.string(window.firstHour),
    date_last_hour: sql.string(window.lastHour),
  };
  // Warm the engine and the stand-in's listing once, so neither side pays the first-query cost.
  await stage.runner.run(renderSqlFile('bench/ocsp-cert-daily-every-copy.sql', params).text);
  const everyCopy = await stage.runner.run(
    renderSqlFile('bench/ocsp-cert-daily-every-copy.sql', params).text,
  );
  const once = await stage.runner.run(renderSqlFile('bench/ocsp-cert-daily-once.sql', params).text);

  console.log(
    `one day of raw OCSP: ${lines} lines, ${resent.length} of them stored twice (GZIP JSON)`,
  );
  console.log(
    `${''.padEnd(40)} ${'bytes read'.padStart(12)} ${'wall'.padStart(9)} ${'requests'.padStart(10)}`,
  );
  console.log(row('daily aggregation, every copy counted', everyCopy));
  console.log(row('daily aggregation, each line_id once', once));
  const ratio = (a: number | undefined, b: number | undefined) => ((a ?? 0) / (b || 1)).toFixed(2);
  console.log(
    `\nonce/every-copy: bytes ${ratio(once.bytesScanned, everyCopy.bytesScanned)}x, ` +
      `wall ${ratio(once.elapsedMs, everyCopy.elapsedMs)}x`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
