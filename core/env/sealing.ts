import { z } from 'zod';
import type { LockPolicy } from '../sealing/lock-policy';
import { baseEnvironment } from './base';
import { bucketVariable, countVariable, keyVariable } from './resources';

/** The archive lock every sealed object and digest gets: the stage's `subscriber.lock`. */
const lockVariables = {
  LOCK_MODE: z.enum(['COMPLIANCE', 'GOVERNANCE']),
  LOCK_DAYS: countVariable,
  /** Landing expiry plus one day: the longest an object can wait to be sealed. */
  SCAN_DAYS: countVariable,
};

/** `seal`: one landing object into the archive. */
export const sealEnvironment = baseEnvironment.extend({
  LANDING_BUCKET: bucketVariable,
  ARCHIVE_BUCKET: bucketVariable,
  ...lockVariables,
});

/** `seal-reconciler`: whatever the event path left in landing. */
export const reconcilerEnvironment = sealEnvironment.extend({
  /** Objects younger than this are left to the event-driven sealer. */
  RECONCILE_AFTER_MINUTES: countVariable,
});

/** `seal-digest`: the signed hourly digests of the archive. */
export const digestEnvironment = baseEnvironment.extend({
  ARCHIVE_BUCKET: bucketVariable,
  DIGEST_KEY_ID: keyVariable,
  ...lockVariables,
});

export function lockOf(env: { LOCK_MODE: LockPolicy['mode']; LOCK_DAYS: number }): LockPolicy {
  return { mode: env.LOCK_MODE, days: env.LOCK_DAYS };
}
