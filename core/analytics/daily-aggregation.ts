import { S3Client } from '@aws-sdk/client-s3';
import { QueryRunner } from '../query/runner';
import { assertInRawWindow } from '../time/days';
import { dayWindow } from '../time/finality';
import { emptyPrefix } from '../s3/prefix';
import { SqlParam, renderSqlFile, sql } from '../query/sql';
import { prefixes, stagingTableName } from '../naming';

/**
 * The exact per-certificate aggregate of one day (ocsp_cert_daily), the
 * first step of the daily job (core/analytics/daily-job.ts). Idempotent per
 * day: each run empties the day's location and writes it anew, so a rerun
 * replaces and never duplicates. A day that is not final yet is aggregated
 * provisionally and replaced by the run that finalises it.
 */

export interface DailyAggregationTarget {
  /** Aggregates bucket: ocsp_cert_daily partitions and the publish prefix. */
  readonly aggregatesBucket: string;
  /** Raw OCSP expiry of the stage; bounds which days can still be aggregated. */
  readonly rawLogExpiryDays: number;
  /** Allow today, still being written; the next run for the day replaces the result. @default false */
  readonly partialToday?: boolean;
  /** Hours after a day during which its late records are counted. @default DAY_LATENESS_HOURS */
  readonly latenessHours?: number;
  /** Certificates kept per day in ocsp_cert_rank_daily. @default RANKED_PER_DAY */
  readonly rankedPerDay?: number;
}

/**
 * Certificates ranked per day. A range's top 100 is answered from the
 * ranking when its bound proves it exact (docs/analytics.md); more kept
 * certificates make that likelier and cost bytes on every range query.
 */
export const RANKED_PER_DAY = 1000;

export interface DailyAggregationResult {
  readonly day: string;
  /** Whether the day was final when aggregated; a provisional day is replaced later. */
  readonly final: boolean;
  /** Certificates (issuer, serial) with at least one request that day. */
  readonly certificates: number;
  readonly requests: number;
  /**
   * Lines of the day without serial or issuer key hash: records of another
   * type (ACME events) that reached the OCSP bucket; in no certificate's count.
   */
  readonly recordsWithoutCertificate: number;
  /** Objects the run replaced (0 on a first run). */
  readonly replacedObjects: number;
  readonly location: string;
}

/**
 * Layout under the aggregates bucket. `aggregate` must be where the
 * ocsp_cert_daily table's projection looks (test/analytics checks the template).
 */
export const aggregateLayout = {
  aggregate: (day: string) => `${prefixes.ocspCertDaily}day=${day}/`,
  rank: (day: string) => `${prefixes.ocspCertRankDaily}day=${day}/`,
} as const;

/** Runs one SQL file of the job, tagged with the day for the engine's query history. */
export async function runSql(
  runner: QueryRunner,
  file: string,
  params: Record<string, SqlParam>,
  day: string,
) {
  return runner.run(renderSqlFile(file, params).text, { correlationId: `aggregate-${day}` });
}

/** A CTAS of the job and the query that counts what it wrote. */
interface MaterialiseJob {
  readonly file: string;
  readonly count: string;
  readonly staging: string;
  readonly params: Record<string, SqlParam>;
  readonly day: string;
}

/** certificates, requests, records without certificate: the aggregate count's row. */
export const aggregateCounts = (row: readonly (string | null)[]) => {
  const [certificates, requests, recordsWithoutCertificate] = row.map((v) => Number(v ?? 0));
  return {
    certificates: certificates ?? 0,
    requests: requests ?? 0,
    recordsWithoutCertificate: recordsWithoutCertificate ?? 0,
  };
};

/** CTAS into an emptied location through a staging table that is dropped afterwards. */
async function materialise(
  runner: QueryRunner,
  s3: S3Client,
  bucket: string,
  prefix: string,
  job: MaterialiseJob,
): Promise<{ replaced: number; counted: (string | null)[] }> {
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
    const counted = await runSql(runner, job.count, staging, job.day);
    return { replaced, counted: counted.rows[0] ?? [] };
  } finally {
    await runSql(runner, 'jobs/drop-staging-table.sql', staging, job.day);
  }
}

/** Whether `day` is final at `now` (its aggregate is then for good). */
export const isFinalAt = (day: string, now: Date, target: DailyAggregationTarget) =>
  now.getTime() >= dayWindow(day, target.latenessHours).finalAt.getTime();

/**
 * The CTAS of `day`'s aggregate: its SQL file, staging table and parameters.
 * Throws, before anything runs, for a day outside the raw window.
 */
export function aggregationJob(day: string, now: Date, target: DailyAggregationTarget) {
  assertInRawWindow(day, now, target.rawLogExpiryDays, { partialToday: target.partialToday });
  const window = dayWindow(day, target.latenessHours);
  return {
    file: 'jobs/ocsp-cert-daily.sql',
    count: 'jobs/count-daily-aggregate.sql',
    staging: stagingTableName('load', day),
    day,
    params: {
      date: sql.string(day),
      date_first_hour: sql.string(window.firstHour),
      date_last_hour: sql.string(window.lastHour),
    },
  };
}

/**
 * The CTAS of `day`'s ranking, read from its aggregate, so it runs after the
 * aggregate's (and works for any aggregated day, raw logs or not). It reuses
 * the aggregate's staging table name once that table is dropped, so the
 * workflow's drop steps serve both.
 */
export function rankingJob(day: string, target: Pick<DailyAggregationTarget, 'rankedPerDay'>) {
  const ranked = target.rankedPerDay ?? RANKED_PER_DAY;
  if (!Number.isSafeInteger(ranked) || ranked < 1)
    throw new Error(`rankedPerDay must be a whole number of at least 1, not ${ranked}`);
  return {
    file: 'jobs/ocsp-cert-rank-daily.sql',
    count: 'jobs/count-staging-table.sql',
    staging: stagingTableName('load', day),
    day,
    params: { date: sql.string(day), ranked: sql.integer(ranked) },
  };
}

/** Writes `day`'s ranking from its aggregate, replacing any earlier one. */
export async function rankDay(
  day: string,
  deps: { runner: QueryRunner; s3: S3Client },
  target: Pick<DailyAggregationTarget, 'aggregatesBucket' | 'rankedPerDay'>,
): Promise<{ replaced: number }> {
  const job = rankingJob(day, target);
  const prefix = aggregateLayout.rank(day);
  const { replaced } = await materialise(
    deps.runner,
    deps.s3,
    target.aggregatesBucket,
    prefix,
    job,
  );
  return { replaced };
}

/**
 * Aggregates `day` (YYYY-MM-DD, UTC) into ocsp_cert_daily from the arrival
 * partitions through its finality window, then ranks it
 * (ocsp_cert_rank_daily). Throws, changing nothing, for a day outside the
 * raw window.
 */
export async function aggregateDay(
  day: string,
  deps: { runner: QueryRunner; s3: S3Client; now?: Date },
  target: DailyAggregationTarget,
): Promise<DailyAggregationResult> {
  const now = deps.now ?? new Date();
  const job = aggregationJob(day, now, target);
  const prefix = aggregateLayout.aggregate(day);
  const aggregate = await materialise(deps.runner, deps.s3, target.aggregatesBucket, prefix, job);
  await rankDay(day, deps, target);
  return {
    day,
    final: isFinalAt(day, now, target),
    ...aggregateCounts(aggregate.counted),
    replacedObjects: aggregate.replaced,
    location: `s3://${target.aggregatesBucket}/${prefix}`,
  };
}
