import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  DailyJobResult,
  finalDayMetrics,
  finaliseDay,
  runDailyJob,
} from '../../core/analytics/daily-job';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { OutsideRawWindowError } from '../../core/time/days';
import { DayNotFinalError } from '../../core/analytics/publication';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

/**
 * Scheduled daily (no day: the latest final day is finalised and published,
 * yesterday aggregated provisionally) or invoked with `{ "day": "YYYY-MM-DD" }`
 * to finalise a final day still inside the raw window.
 */
const aggregateEvent = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

const s3 = new S3Client({});

export async function handler(event: unknown): Promise<DailyJobResult> {
  const env = environmentOf('aggregate-daily');
  const requested = aggregateEvent.parse(event ?? {}).day;
  logger.setCorrelationId(`aggregate-${requested ?? 'scheduled'}`);
  const deps = { runner: queryRunnerFromEnv(), s3, now: new Date() };
  const target = {
    aggregatesBucket: env.AGGREGATES_BUCKET,
    rawLogExpiryDays: env.RAW_LOG_EXPIRY_DAYS,
    parameters: env.PUBLICATION_PARAMETERS,
  };
  try {
    const result = requested
      ? { final: await finaliseDay(requested, deps, target) }
      : await runDailyJob(deps, target);
    publishMetrics(env.LOGVAULT_STAGE, finalDayMetrics(result.final));
    logger.info('daily job done', { ...result });
    return result;
  } catch (error) {
    if (error instanceof OutsideRawWindowError || error instanceof DayNotFinalError) throw error;
    // Engine messages can quote raw records (client IPs) and this log group is
    // operational: log and rethrow only the kind of failure. The query history
    // of the workgroup keeps the full message.
    const kind = error instanceof Error ? error.name : typeof error;
    logger.error('daily job failed', { day: requested, kind });
    // eslint-disable-next-line preserve-caught-error -- the cause is what must not reach the log
    throw new Error(`daily job failed (${kind}); see the workgroup's query history`);
  }
}
