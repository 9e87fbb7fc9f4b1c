import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { standingDepsFrom } from '../../core/holds/deps-from-env';
import { holdSealedVersion } from '../../core/holds/standing';
import { reconcilerMetrics, sealPending } from '../../core/sealing/seal';
import { MINUTE_MS } from '../../core/time/units';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

const s3 = new S3Client({});

/**
 * Scheduled: seals whatever the event path left in landing, then publishes how
 * many objects it had to seal (should be 0), how many failed, and the age of
 * the oldest object still waiting (alarmed before landing expiry deletes it).
 */
export const handler = async (): Promise<void> => {
  const env = environmentOf('seal-reconciler');
  const now = new Date();
  logger.setCorrelationId(now.toISOString());
  const result = await sealPending(
    { s3, landingBucket: env.LANDING_BUCKET, archiveBucket: env.ARCHIVE_BUCKET, lock: lockOf(env) },
    { olderThan: new Date(now.getTime() - env.RECONCILE_AFTER_MINUTES * MINUTE_MS) },
  );
  // What the reconciler archived joins open cases' standing holds as the event path's would.
  const standing = standingDepsFrom(env, s3);
  for (const outcome of result.outcomes)
    await holdSealedVersion(standing, env.ARCHIVE_BUCKET, outcome);
  publishMetrics(env.LOGVAULT_STAGE, reconcilerMetrics(result));
  const sealed = result.outcomes.filter((o) => o.status === 'sealed');
  if (sealed.length > 0) logger.warn('reconciler had to seal', { keys: sealed.map((o) => o.key) });
  for (const failure of result.failures) logger.error('could not seal', failure);
  logger.info('reconciled', {
    sealed: sealed.length,
    failures: result.failures.length,
    oldestRemainingAgeHours: result.oldestRemainingAgeHours,
  });
};
