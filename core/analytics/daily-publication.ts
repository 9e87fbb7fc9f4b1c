import { S3Client } from '@aws-sdk/client-s3';
import { QueryRunner } from '../query/runner';
import { renderSqlFile, sql } from '../query/sql';
import { afterFinalScanHours } from '../time/finality';
import {
  PublicationParameters,
  RepublicationRefusedError,
  assertFinal,
  boundedCountsOf,
  boundedCountsSql,
  prepareRelease,
  publishOnce,
} from './publication';
import { RandomSource } from './publication/random-source';

/**
 * The steps of the daily job that run once a day is final (docs/publication.md):
 * the bounded counts on the engine, noise and release in the job, one
 * write that can never be repeated; and the count of records that came too
 * late for their day. Each is one engine query or one write, so a workflow
 * can call them one by one.
 */

export interface PublicationDeps {
  readonly runner: QueryRunner;
  readonly s3: S3Client;
  readonly now: Date;
  /** Noise source. @default the CSPRNG */
  readonly random?: RandomSource;
}

export interface PublicationResult {
  readonly day: string;
  /**
   * `published` now, `already-published` earlier (left as it was), or
   * `refused`: the day's object was deleted or replaced, so it is never
   * published again (metric PublicationsRefused, alarmed).
   */
  readonly status: 'published' | 'already-published' | 'refused';
  /** Rows of the published day (0 when refused). */
  readonly rows: number;
  readonly epsilon: number;
  readonly reason?: string;
}

/** Publishes a final day once; throws DayNotFinalError, before any query, for a day not final at `now`. */
export async function publishFinalDay(
  day: string,
  deps: PublicationDeps,
  target: { readonly aggregatesBucket: string; readonly parameters: PublicationParameters },
): Promise<PublicationResult> {
  const counted = await deps.runner.run(publicationSql(day, deps.now, target.parameters), {
    correlationId: `publish-${day}`,
  });
  return releaseFinalDay(day, counted.rows, deps, target);
}

/** The bounded counts of a final day; throws DayNotFinalError for a day not final at `now`. */
export function publicationSql(day: string, now: Date, parameters: PublicationParameters): string {
  const window = assertFinal(day, now, parameters.latenessHours);
  return boundedCountsSql(day, window, parameters).text;
}

/** Adds the noise to a final day's bounded counts (rows of publicationSql) and publishes it once. */
export async function releaseFinalDay(
  day: string,
  rows: readonly (readonly (string | null)[])[],
  deps: Omit<PublicationDeps, 'runner'>,
  target: { readonly aggregatesBucket: string; readonly parameters: PublicationParameters },
): Promise<PublicationResult> {
  const { parameters } = target;
  const release = prepareRelease(day, boundedCountsOf(rows), parameters, {
    now: deps.now,
    random: deps.random,
  });
  try {
    const outcome = await publishOnce(deps.s3, target.aggregatesBucket, release);
    return {
      day,
      status: outcome.status,
      rows: outcome.metadata.rows,
      epsilon: parameters.epsilon,
    };
  } catch (error) {
    if (!(error instanceof RepublicationRefusedError)) throw error;
    return { day, status: 'refused', rows: 0, epsilon: parameters.epsilon, reason: error.message };
  }
}

/** Records of earlier days that arrived after those days were final, in the hours `day`'s run scans. */
export async function countRecordsAfterFinal(
  day: string,
  runner: QueryRunner,
  latenessHours: number,
): Promise<number> {
  const result = await runner.run(recordsAfterFinalSql(day, latenessHours), {
    correlationId: `aggregate-${day}`,
  });
  return recordsAfterFinalOf(result.rows);
}

/** The count of records after final that `day`'s run scans for. */
export function recordsAfterFinalSql(day: string, latenessHours: number): string {
  const hours = afterFinalScanHours(day, latenessHours);
  return renderSqlFile('jobs/ocsp-records-after-final.sql', {
    first_hour: sql.string(hours.first),
    last_hour: sql.string(hours.last),
    lateness_hours: sql.integer(latenessHours),
  }).text;
}

export const recordsAfterFinalOf = (rows: readonly (readonly (string | null)[])[]) =>
  Number(rows[0]?.[0] ?? 0);
