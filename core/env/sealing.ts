import { z } from 'zod';
import { LockPolicy } from '../sealing/seal';

/** Configuration every sealing handler reads from its environment (set by lib/sealing). */
export const sealingEnvironment = z.object({
  LANDING_BUCKET: z.string().min(1),
  ARCHIVE_BUCKET: z.string().min(1),
  LOCK_MODE: z.enum(['COMPLIANCE', 'GOVERNANCE']),
  LOCK_DAYS: z.coerce.number().int().positive(),
  /** Landing expiry plus one day: the longest an object can wait to be sealed. */
  SCAN_DAYS: z.coerce.number().int().positive(),
});
export type SealingEnvironment = z.infer<typeof sealingEnvironment>;

export function lockOf(env: SealingEnvironment): LockPolicy {
  return { mode: env.LOCK_MODE, days: env.LOCK_DAYS };
}

/**
 * The EventBridge event S3 sends for a new object (detail-type "Object Created").
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export const objectCreatedEvent = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1) }),
  }),
});
