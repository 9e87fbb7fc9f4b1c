import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { writeDigests } from '../../core/sealing/digest';
import { KmsSigner } from '../../core/sealing/signer';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';

const s3 = new S3Client({});
const kms = new KMSClient({});

/**
 * Hourly, a quarter past: writes the signed digest of every complete hour not
 * yet digested (normally just the last one; after an outage, each missed hour
 * in order, so the chain never skips).
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
  logger.info('digests written', { digests: written, breaks });
};
