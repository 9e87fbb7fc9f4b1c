import { S3Client } from '@aws-sdk/client-s3';
import { registryFrom } from '../../core/holds/deps-from-env';
import { findOrphans } from '../../core/holds/orphans';
import { measureRetention } from '../../core/monitoring/retention';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

const s3 = new S3Client({});

/** S3 and registry reads in flight at once while checking legal-hold flags. */
const ORPHAN_CHECK_CONCURRENCY = 16;

/** Hourly: publishes the oldest OCSP copy's age, closed-case extracts, open cases and orphaned holds. */
export const handler = async (): Promise<void> => {
  const env = environmentOf('retention-monitor');
  const now = new Date();
  logger.setCorrelationId(now.toISOString());
  const registry = registryFrom(env);
  const data = await measureRetention(s3, {
    watched: env.WATCHED_PLACES,
    investigationsBucket: env.INVESTIGATIONS_BUCKET,
    openCaseIds: () => registry.openCaseIds(),
    orphanCount: async () => {
      const found = await findOrphans({
        s3,
        registry,
        buckets: { archive: env.ARCHIVE_BUCKET, investigations: env.INVESTIGATIONS_BUCKET },
        concurrency: ORPHAN_CHECK_CONCURRENCY,
      });
      return found.heldUncovered.length + found.coveredNotHeld.length;
    },
    now,
  });
  publishMetrics(env.LOGVAULT_STAGE, data);
  logger.info('retention measured', { data });
};
