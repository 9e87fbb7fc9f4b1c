import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryRunner } from '../query/runner';
import { toCsv } from '../csv';
import { assertInRawWindow, partitionRange } from '../time/days';
import { emptyPrefix } from '../s3/prefix';
import { SqlParam, renderSqlFile, sql } from '../query/sql';
import { MetricDatum, glueTables, prefixes, stagingTableName } from '../naming';

/**
 * The daily per-certificate aggregation and the export of the published
 * dataset. Idempotent per day: each run empties the day's locations and
 * writes them anew, so a rerun replaces and never duplicates.
 */

export interface DailyAggregationTarget {
  /** Aggregates bucket: ocsp_cert_daily partitions and the publish prefix. */
  readonly aggregatesBucket: string;
  /** Raw OCSP expiry of the stage; bounds which days can still be aggregated. */
  readonly rawLogExpiryDays: number;
  /** Allow today, still being written; the next run for the day replaces the result. @default false */
  readonly partialToday?: boolean;
}

export interface DailyAggregationResult {
  readonly day: string;
  /** Certificates (issuer, serial) with at least one request that day. */
  readonly certificates: number;
  readonly requests: number;
  /** Rows in the published dataset (certificates seen by at least k clients). */
  readonly published: number;
  /** Objects the run replaced (0 on a first run). */
  readonly replacedObjects: number;
  readonly locations: { aggregate: string; parquet: string; csv: string };
}

/**
 * Layout under the aggregates bucket. `aggregate` must be where the
 * ocsp_cert_daily table's projection looks (test/analytics checks the template).
 */
export const aggregateLayout = {
  aggregate: (day: string) => `${prefixes.ocspCertDaily}day=${day}/`,
  parquet: (day: string) => `${prefixes.publish}${glueTables.ocspCertDaily}/parquet/day=${day}/`,
  csv: (day: string) =>
    `${prefixes.publish}${glueTables.ocspCertDaily}/csv/${glueTables.ocspCertDaily}-${day}.csv`,
} as const;

/** What a materialised day reports: that it happened, and its certificate counts. */
export function aggregationMetrics(result: DailyAggregationResult): MetricDatum[] {
  return [
    { metric: 'daysAggregated', value: 1 },
    { metric: 'aggregatedCertificates', value: result.certificates },
    { metric: 'publishedCertificates', value: result.published },
  ];
}

/** Runs one SQL file of the job, tagged with the day for the engine's query history. */
async function runSql(
  runner: QueryRunner,
  file: string,
  params: Record<string, SqlParam>,
  day: string,
) {
  return runner.run(renderSqlFile(file, params).text, { correlationId: `aggregate-${day}` });
}

/** CTAS into an emptied location through a staging table that is dropped afterwards. */
async function materialise(
  runner: QueryRunner,
  s3: S3Client,
  bucket: string,
  prefix: string,
  job: { file: string; staging: string; params: Record<string, SqlParam>; day: string },
): Promise<{ replaced: number; rows: number; requests: number }> {
  const staging = { staging_table: sql.identifier(job.staging) };
  // A run that died half-way may have left its staging table behind.
  await runSql(runner, 'jobs/drop-staging-table.sql', staging, job.day);
  const replaced = await emptyPrefix(s3, bucket, prefix);
  await runSql(
    runner,
    job.file,
    { ...staging, ...job.params, location: sql.string(`s3://${bucket}/${prefix}`) },
    job.day,
  );
  try {
    const counted = await runSql(runner, 'jobs/count-staging-table.sql', staging, job.day);
    const [rows, requests] = counted.rows[0] ?? ['0', '0'];
    return { replaced, rows: Number(rows ?? 0), requests: Number(requests ?? 0) };
  } finally {
    await runSql(runner, 'jobs/drop-staging-table.sql', staging, job.day);
  }
}

/**
 * Aggregates `day` (YYYY-MM-DD, UTC) into ocsp_cert_daily and exports its
 * published rows as Parquet and CSV. Throws, changing nothing, for a day
 * outside the raw window.
 */
export async function aggregateDay(
  day: string,
  deps: { runner: QueryRunner; s3: S3Client; now?: Date },
  target: DailyAggregationTarget,
): Promise<DailyAggregationResult> {
  assertInRawWindow(day, deps.now ?? new Date(), target.rawLogExpiryDays, {
    partialToday: target.partialToday,
  });
  const { runner, s3 } = deps;
  const bucket = target.aggregatesBucket;
  const hours = partitionRange(day);

  const aggregate = await materialise(runner, s3, bucket, aggregateLayout.aggregate(day), {
    file: 'jobs/ocsp-cert-daily.sql',
    staging: stagingTableName('load', day),
    day,
    params: {
      date: sql.string(day),
      date_first_hour: sql.string(hours.first),
      date_last_hour: sql.string(hours.last),
    },
  });
  const parquet = await materialise(runner, s3, bucket, aggregateLayout.parquet(day), {
    file: 'jobs/publish-parquet.sql',
    staging: stagingTableName('publish', day),
    day,
    params: { day: sql.string(day) },
  });

  const rows = await runSql(runner, 'jobs/publish-rows.sql', { day: sql.string(day) }, day);
  const csvKey = aggregateLayout.csv(day);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: csvKey,
      Body: toCsv(
        rows.columns.map((c) => c.name),
        rows.rows,
      ),
      ContentType: 'text/csv; charset=utf-8; header=present',
    }),
  );

  return {
    day,
    certificates: aggregate.rows,
    requests: aggregate.requests,
    published: parquet.rows,
    replacedObjects: aggregate.replaced + parquet.replaced,
    locations: {
      aggregate: `s3://${bucket}/${aggregateLayout.aggregate(day)}`,
      parquet: `s3://${bucket}/${aggregateLayout.parquet(day)}`,
      csv: `s3://${bucket}/${csvKey}`,
    },
  };
}
