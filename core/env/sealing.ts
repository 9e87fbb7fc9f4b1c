import { z } from 'zod';
import { KeyringError, parseKeyring } from '../sealing/anchor/keyring';
import { tsaTrustSchema } from '../sealing/anchor/tsa-trust';

export { KEYRING_FORMAT } from '../sealing/anchor/keyring';
import type { LockPolicy } from '../sealing/lock-policy';
import { baseEnvironment } from './base';
import {
  bucketVariable,
  countVariable,
  keyVariable,
  roleVariable,
  tableVariable,
} from './resources';

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
  /**
   * The stage's TSAs (`anchoring.tsas`), names in that trust list, as a JSON
   * array; checked against it at synth.
   */
  TSA_NAMES: z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(z.array(z.string().min(1))),
  /**
   * The witness account's role the function assumes to copy anchors out of
   * the account (`anchoring.witness`); set together with WITNESS_BUCKET.
   * Absent: anchors are not published by the function.
   */
  WITNESS_ROLE_ARN: roleVariable.optional(),
  /**
   * The witness bucket, in the other account: no grant of ours reaches it,
   * only the assumed role's (so it is a name, not a bound resource).
   */
  WITNESS_BUCKET: z.string().min(3).optional(),
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

/**
 * The stage's `anchoring.tsas` as the digest function's TSA_NAMES, after
 * checking each is pinned in the bundled trust list (`source`, its text):
 * a name the list lacks would leave every hour unanchored, so it fails synth.
 */
export function tsaNamesVariable(
  names: readonly string[],
  trustText: string,
  source: string,
): string {
  const pinned = tsaTrustSchema.parse(JSON.parse(trustText)).tsas.map((t) => t.name);
  const problems = names.flatMap((name, i) =>
    pinned.includes(name)
      ? []
      : [
          `anchoring.tsas[${i}] = "${name}": not pinned in ${source} (pinned: ${pinned.join(', ') || 'none'}); ` +
            'pin it there (docs/trust.md, "Pinned TSAs") or remove it from the stage',
        ],
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return JSON.stringify(names);
}
