import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { logger } from '../runtime/logger';
import { lockOf, sealingEnvironment } from '../../core/env/sealing';
import { sealPending } from '../../core/sealing/seal';

const environment = sealingEnvironment.extend({
  LOGVAULT_STAGE: z.string().min(1),
  /** Objects younger than this are left to the event-driven sealer. */
  RECONCILE_AFTER_MINUTES: z.coerce.number().int().positive(),
});

const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});

/**
 * Scheduled: seals whatever the event path left in landing, then publishes how
 * many objects it had to seal (should be 0), how many failed, and the age of
 * the oldest object still waiting (alarmed before landing expiry deletes it).
 */
export const handler = async (): Promise<void> => {
  const env = environment.parse(process.env);
  const now = new Date();
  logger.setCorrelationId(now.toISOString());
  const result = await sealPending(
    { s3, landingBucket: env.LANDING_BUCKET, archiveBucket: env.ARCHIVE_BUCKET, lock: lockOf(env) },
    { olderThan: new Date(now.getTime() - env.RECONCILE_AFTER_MINUTES * 60_000) },
  );
  const sealed = result.outcomes.filter((o) => o.status === 'sealed');
  const dimensions = [{ Name: 'Stage', Value: env.LOGVAULT_STAGE }];
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'Logvault',
      MetricData: [
        {
          MetricName: 'ReconcilerSealedObjects',
          Value: sealed.length,
          Unit: 'Count',
          Dimensions: dimensions,
          Timestamp: now,
        },
        {
          MetricName: 'SealFailures',
          Value: result.failures.length,
          Unit: 'Count',
          Dimensions: dimensions,
          Timestamp: now,
        },
        {
          MetricName: 'LandingOldestObjectAgeHours',
          Value: result.oldestRemainingAgeHours,
          Dimensions: dimensions,
          Timestamp: now,
        },
      ],
    }),
  );
  if (sealed.length > 0) logger.warn('reconciler had to seal', { keys: sealed.map((o) => o.key) });
  for (const failure of result.failures) logger.error('could not seal', failure);
  logger.info('reconciled', {
    sealed: sealed.length,
    failures: result.failures.length,
    oldestRemainingAgeHours: result.oldestRemainingAgeHours,
  });
};
