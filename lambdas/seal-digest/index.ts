import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { writeDigests } from '../../core/sealing/digest';
import { KmsSigner } from '../../core/sealing/signer';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import { publishMetrics } from '../runtime/metrics';

const s3 = new S3Client({});
const kms = new KMSClient({});

/**
 * Hourly, a quarter past: writes the signed digest of the last complete hour,
 * linked to the last good digest. Whatever it finds missing, deleted, written
 * over or unsigned is recorded in that digest as a break and counted in
 * DigestChainBreaks (alarmed): never healed.
 */
export const handler = async (): Promise<void> => {
  const env = environmentOf('seal-digest');
  logger.setCorrelationId(new Date().toISOString());
  const { written, breaks } = await writeDigests({
    s3,
    archiveBucket: env.ARCHIVE_BUCKET,
    signer: new KmsSigner(kms, env.DIGEST_KEY_ID),
    lock: lockOf(env),
    scanDays: env.SCAN_DAYS,
  });
  publishMetrics(env.LOGVAULT_STAGE, [{ metric: 'digestChainBreaks', value: breaks.length }]);
  for (const b of breaks) logger.error('digest chain break', b);
  logger.info('digests written', { digests: written, breaks: breaks.length });
};
