import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { logger } from '../runtime/logger';
import { writeDigests } from '../../core/sealing/digest';
import { lockOf, sealingEnvironment } from '../../core/env/sealing';
import { KmsSigner } from '../../core/sealing/signer';

const environment = sealingEnvironment.extend({ DIGEST_KEY_ID: z.string().min(1) });

const s3 = new S3Client({});
const kms = new KMSClient({});

/**
 * Hourly, a quarter past: writes the signed digest of every complete hour not
 * yet digested (normally just the last one; after an outage, each missed hour
 * in order, so the chain never skips).
 */
export const handler = async (): Promise<void> => {
  const env = environment.parse(process.env);
  logger.setCorrelationId(new Date().toISOString());
  const written = await writeDigests({
    s3,
    archiveBucket: env.ARCHIVE_BUCKET,
    signer: new KmsSigner(kms, env.DIGEST_KEY_ID),
    lock: lockOf(env),
    scanDays: env.SCAN_DAYS,
  });
  logger.info('digests written', { digests: written });
};
