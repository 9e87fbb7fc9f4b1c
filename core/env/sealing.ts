import { z } from 'zod';
import { KeyringError, parseKeyring } from '../sealing/anchor/keyring';

export { KEYRING_FORMAT } from '../sealing/anchor/keyring';
import type { LockPolicy } from '../sealing/lock-policy';
import { baseEnvironment } from './base';
import { bucketVariable, countVariable, keyVariable, tableVariable } from './resources';

/** The archive lock every sealed object and digest gets: the stage's `subscriber.lock`. */
const lockVariables = {
  LOCK_MODE: z.enum(['COMPLIANCE', 'GOVERNANCE']),
  /** The shortest the lock lasts in days (for years: calendar years at their shortest). */
  LOCK_DAYS: countVariable,
  /** Set when the stage locks for calendar years: retain-until is that many years on, not 365-day multiples. */
  LOCK_YEARS: countVariable.optional(),
  /** Landing expiry plus one day: the longest an object can wait to be sealed. */
  SCAN_DAYS: countVariable,
};

/**
 * The hold registry, its audit trail and the key that wraps each case's data
 * key: sealing holds what it archives into an open case's scope
 * (core/holds/standing.ts).
 */
const standingHoldVariables = {
  HOLD_REGISTRY_TABLE: tableVariable,
  HOLD_AUDIT_TABLE: tableVariable,
  HOLD_CASE_KEY_ID: keyVariable,
};

/** `seal`: one landing object into the archive. */
export const sealEnvironment = baseEnvironment.extend({
  LANDING_BUCKET: bucketVariable,
  ARCHIVE_BUCKET: bucketVariable,
  ...lockVariables,
  ...standingHoldVariables,
});

/** `seal-reconciler`: whatever the event path left in landing. */
export const reconcilerEnvironment = sealEnvironment.extend({
  /** Objects younger than this are left to the event-driven sealer. */
  RECONCILE_AFTER_MINUTES: countVariable,
});

/**
 * The stage's published keyring (`trust/<stage>/digest-keys.json`) as JSON
 * text, bundled at synth: the digest function refuses to sign with a key it
 * does not list, so re-pointing the signing alias signs nothing.
 */
export const keyringVariable = z.string().transform((text, ctx) => {
  try {
    return parseKeyring(text, 'the bundled keyring');
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    for (const problem of error.problems)
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: `${problem} (fix trust/<stage>/digest-keys.json and redeploy)`,
      });
    return z.NEVER;
  }
});

/** `seal-digest`: the signed hourly digests of the archive. */
export const digestEnvironment = baseEnvironment.extend({
  ARCHIVE_BUCKET: bucketVariable,
  DIGEST_KEY_ID: keyVariable,
  DIGEST_KEYRING: keyringVariable,
  /**
   * The pinned TSAs that anchor each new chain head (`trust/tsa/`, bundled
   * with the function): a path relative to the bundle, or absolute.
   */
  TSA_TRUST_DIR: z.string().min(1),
  ...lockVariables,
});

export function lockOf(env: {
  LOCK_MODE: LockPolicy['mode'];
  LOCK_DAYS: number;
  LOCK_YEARS?: number;
}): LockPolicy {
  const lock = { mode: env.LOCK_MODE, days: env.LOCK_DAYS };
  return env.LOCK_YEARS === undefined ? lock : { ...lock, years: env.LOCK_YEARS };
}
