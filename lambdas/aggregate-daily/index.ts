import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { DailyAggregationResult, aggregateDay } from '../../core/analytics/daily-aggregation';
import { metricDefinitions } from '../../core/naming';
import { OutsideRawWindowError, addDays, formatDay } from '../../core/time/days';
import { logger } from '../runtime/logger';
import { queryRunnerFromEnv } from '../../core/query/from-env';

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

const environment = z.object({
  LOGVAULT_STAGE: z.string().min(1),
  AGGREGATES_BUCKET: z.string().min(1),
  RAW_LOG_EXPIRY_DAYS: z.coerce.number().int().min(1),
});

const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});

/** Business metrics of a materialised day; the missed-day alarm watches DailyAggregatesWritten. */
async function publishMetrics(stage: string, result: DailyAggregationResult): Promise<void> {
  const dimensions = [{ Name: 'Stage', Value: stage }];
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'Logvault',
      MetricData: [
        {
          MetricName: metricDefinitions.daysAggregated.name,
          Dimensions: dimensions,
          Value: 1,
          Unit: 'Count',
        },
        {
          MetricName: 'AggregatedCertificates',
          Dimensions: dimensions,
          Value: result.certificates,
          Unit: 'Count',
        },
        {
          MetricName: 'PublishedCertificates',
          Dimensions: dimensions,
          Value: result.published,
          Unit: 'Count',
        },
      ],
    }),
  );
}

export async function handler(event: unknown): Promise<DailyAggregationResult> {
  const env = environment.parse(process.env);
  const requested = aggregateEvent.parse(event ?? {}).day;
  const day = requested ?? addDays(formatDay(new Date()), -1);
  logger.setCorrelationId(`aggregate-${day}`);
  try {
    const result = await aggregateDay(
      day,
      { runner: queryRunnerFromEnv(), s3 },
      { aggregatesBucket: env.AGGREGATES_BUCKET, rawLogExpiryDays: env.RAW_LOG_EXPIRY_DAYS },
    );
    await publishMetrics(env.LOGVAULT_STAGE, result);
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
