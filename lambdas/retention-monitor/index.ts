import { S3Client } from '@aws-sdk/client-s3';
import { registryFrom } from '../../core/holds/deps-from-env';
import { measureRetention } from '../../core/monitoring/retention';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

const s3 = new S3Client({});

/** Hourly: publishes the oldest OCSP copy's age, closed-case extracts and open cases. */
export const handler = async (): Promise<void> => {
  const env = environmentOf('retention-monitor');
  const now = new Date();
  logger.setCorrelationId(now.toISOString());
  const registry = registryFrom(env);
  const data = await measureRetention(s3, {
    watched: env.WATCHED_PLACES,
    investigationsBucket: env.INVESTIGATIONS_BUCKET,
    openCaseIds: () => registry.openCaseIds(),
    now,
  });
  publishMetrics(env.LOGVAULT_STAGE, data);
  logger.info('retention measured', { data });
};
