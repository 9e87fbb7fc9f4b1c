import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  DailyAggregationResult,
  aggregateDay,
  aggregationMetrics,
} from '../../core/analytics/daily-aggregation';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { OutsideRawWindowError, addDays, formatDay } from '../../core/time/days';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

/**
 * Scheduled daily (no day: yesterday, UTC) or invoked with `{ "day": "YYYY-MM-DD" }`
 * to backfill a day still inside the raw window.
 */
const aggregateEvent = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

const s3 = new S3Client({});

export async function handler(event: unknown): Promise<DailyAggregationResult> {
  const env = environmentOf('aggregate-daily');
  const requested = aggregateEvent.parse(event ?? {}).day;
  const day = requested ?? addDays(formatDay(new Date()), -1);
  logger.setCorrelationId(`aggregate-${day}`);
  try {
    const result = await aggregateDay(
      day,
      { runner: queryRunnerFromEnv(), s3 },
      { aggregatesBucket: env.AGGREGATES_BUCKET, rawLogExpiryDays: env.RAW_LOG_EXPIRY_DAYS },
    );
    publishMetrics(env.LOGVAULT_STAGE, aggregationMetrics(result));
    logger.info('day aggregated', { ...result });
    return result;
  } catch (error) {
    if (error instanceof OutsideRawWindowError) throw error;
    // Engine messages can quote raw records (client IPs) and this log group is
    // operational: log and rethrow only the kind of failure. The query history
    // of the workgroup keeps the full message.
    const kind = error instanceof Error ? error.name : typeof error;
    logger.error('aggregation failed', { day, kind });
    // eslint-disable-next-line preserve-caught-error -- the cause is what must not reach the log
    throw new Error(`aggregation of ${day} failed (${kind}); see the workgroup's query history`);
  }
}
