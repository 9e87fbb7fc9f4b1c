import { S3Client } from '@aws-sdk/client-s3';
import { MetricDatum } from '../naming';
import { QueryRunner } from '../query/runner';
import { addDays, formatDay } from '../time/days';
import { latestFinalDay } from '../time/finality';
import { DailyAggregationResult, aggregateDay } from './daily-aggregation';
import { PublicationResult, countRecordsAfterFinal, publishFinalDay } from './daily-publication';
import { PublicationParameters } from './publication';
import { RandomSource } from './publication/random-source';

/**
 * The daily job: the latest final day is aggregated for good, published once
 * and scanned for records that came after their day was final; yesterday,
 * not final yet, is aggregated provisionally (replaced when it becomes
 * final). Every step is its own function, one engine query or write each, so
 * a workflow can run them one at a time.
 */

export interface DailyJobTarget {
  readonly aggregatesBucket: string;
  readonly rawLogExpiryDays: number;
  readonly parameters: PublicationParameters;
}

export interface DailyJobDeps {
  readonly runner: QueryRunner;
  readonly s3: S3Client;
  readonly now: Date;
  /** Noise source. @default the CSPRNG */
  readonly random?: RandomSource;
}

export interface FinalDayResult {
  readonly aggregate: DailyAggregationResult;
  readonly publication: PublicationResult;
  /** Records of earlier days that arrived after their day was final (counted nowhere else). */
  readonly recordsAfterFinal: number;
}

export interface DailyJobResult {
  readonly final: FinalDayResult;
  /** Yesterday's provisional aggregate, when yesterday is not the final day. */
  readonly provisional?: DailyAggregationResult;
}

/** Aggregates a final day for good, publishes it once, counts what came after its predecessors were final. */
export async function finaliseDay(
  day: string,
  deps: DailyJobDeps,
  target: DailyJobTarget,
): Promise<FinalDayResult> {
  const { latenessHours } = target.parameters;
  const aggregate = await aggregateDay(day, deps, { ...target, latenessHours });
  const publication = await publishFinalDay(day, deps, target);
  const recordsAfterFinal = await countRecordsAfterFinal(day, deps.runner, latenessHours);
  return { aggregate, publication, recordsAfterFinal };
}

/** What the scheduled run does at `now`. */
export async function runDailyJob(
  deps: DailyJobDeps,
  target: DailyJobTarget,
): Promise<DailyJobResult> {
  const finalDay = latestFinalDay(deps.now, target.parameters.latenessHours);
  const final = await finaliseDay(finalDay, deps, target);
  const yesterday = addDays(formatDay(deps.now), -1);
  if (yesterday === finalDay) return { final };
  const provisional = await aggregateDay(yesterday, deps, {
    ...target,
    latenessHours: target.parameters.latenessHours,
  });
  return { final, provisional };
}

/** What a finalised day reports; the missed-day alarm watches daysAggregated. */
export function finalDayMetrics(result: FinalDayResult): MetricDatum[] {
  const { publication } = result;
  return [
    { metric: 'daysAggregated', value: 1 },
    { metric: 'aggregatedCertificates', value: result.aggregate.certificates },
    { metric: 'publishedCertificates', value: publication.rows },
    { metric: 'publicationsRefused', value: publication.status === 'refused' ? 1 : 0 },
    { metric: 'ocspRecordsAfterFinal', value: result.recordsAfterFinal },
  ];
}
