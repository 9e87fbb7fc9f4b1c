import { S3Client } from '@aws-sdk/client-s3';
import { lockOf } from '../../core/env/sealing';
import { standingDepsFrom } from '../../core/holds/deps-from-env';
import { holdSealedVersion } from '../../core/holds/standing';
import { objectCreatedEvent } from '../../core/sealing/events';
import { SealOutcome, sealObject } from '../../core/sealing/seal';
import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';

const s3 = new S3Client({});

/**
 * EventBridge "Object Created" on the landing bucket → seal that object into
 * the archive. Errors propagate: Lambda retries the async event twice, then
 * parks it in the dead-letter queue, and the reconciler seals it later anyway.
 * A redriven event whose object is already archived still settles its standing holds.
 */
export const handler = async (event: unknown): Promise<SealOutcome> => {
  const env = environmentOf('seal');
  const { detail } = objectCreatedEvent.parse(event);
  if (detail.bucket.name !== env.LANDING_BUCKET)
    throw new Error(`event for bucket ${detail.bucket.name}, expected ${env.LANDING_BUCKET}`);
  // Firehose object names use only letters, digits, '-' and '/', so the key needs no
  // decoding; a key that did would come back 'gone' and the reconciler seals it.
  const key = detail.object.key;
  logger.setCorrelationId(key);
  const outcome = await sealObject(
    { s3, landingBucket: env.LANDING_BUCKET, archiveBucket: env.ARCHIVE_BUCKET, lock: lockOf(env) },
    key,
  );
  // Standing holds: the open cases whose scope takes this version hold it (core/holds/standing.ts).
  const standing = await holdSealedVersion(standingDepsFrom(env, s3), env.ARCHIVE_BUCKET, outcome);
  logger.info('sealed', { ...outcome, standingHolds: standing.heldFor });
  return outcome;
};
