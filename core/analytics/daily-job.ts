import { S3Client } from '@aws-sdk/client-s3';
import { MetricDatum } from '../naming';
import { QueryRunner } from '../query/runner';
import { DailyAggregationResult, aggregateDay } from './daily-aggregation';
import { PublicationResult, countRecordsAfterFinal, publishFinalDay } from './daily-publication';
import { PublicationParameters } from './publication';
import { RandomSource } from './publication/random-source';

/**
 * The daily job: the latest final day is aggregated for good, published once
 * and scanned for records that came after their day was final; yesterday,
 * not final yet, is aggregated provisionally (replaced when it becomes
 * final). The scheduled run is the workflow (./daily-workflow), which runs
 * the steps one query at a time; finaliseDay is the CLI's in-process backfill.
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

/** What a finalised day reports; the missed-day alarm watches daysAggregated. */
export function finalDayMetrics(result: FinalDayResult): MetricDatum[] {
  const { publication } = result;
  return [
    { metric: 'daysAggregated', value: 1 },
    { metric: 'aggregatedCertificates', value: result.aggregate.certificates },
    { metric: 'publishedCertificates', value: publication.rows },
    { metric: 'publicationsRefused', value: publication.status === 'refused' ? 1 : 0 },
    { metric: 'ocspRecordsAfterFinal', value: result.recordsAfterFinal },
    {
      metric: 'ocspRecordsWithoutCertificate',
      value: result.aggregate.recordsWithoutCertificate,
    },
  ];
}
