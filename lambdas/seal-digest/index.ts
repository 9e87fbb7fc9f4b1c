import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { UnpublishedKeyError, writeDigests } from '../../core/sealing/digest';
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
 * DigestChainBreaks (alarmed): never healed. A signing key the bundled
 * keyring does not publish (the alias re-pointed) signs nothing and counts
 * in DigestSigningRefused (alarmed); retrying cannot help, so it returns.
 */
export const handler = async (): Promise<void> => {
  const env = environmentOf('seal-digest');
  logger.setCorrelationId(new Date().toISOString());
  try {
    const { written, breaks } = await writeDigests({
      s3,
      archiveBucket: env.ARCHIVE_BUCKET,
      signer: new KmsSigner(kms, env.DIGEST_KEY_ID),
      keyring: env.DIGEST_KEYRING,
      lock: lockOf(env),
      scanDays: env.SCAN_DAYS,
    });
    publishMetrics(env.LOGVAULT_STAGE, [
      { metric: 'digestChainBreaks', value: breaks.length },
      { metric: 'digestSigningRefused', value: 0 },
    ]);
    for (const b of breaks) logger.error('digest chain break', b);
    logger.info('digests written', { digests: written, breaks: breaks.length });
  } catch (error) {
    if (!(error instanceof UnpublishedKeyError)) throw error;
    publishMetrics(env.LOGVAULT_STAGE, [{ metric: 'digestSigningRefused', value: 1 }]);
    logger.error('digest signing refused', { reason: error.message });
  }
};
