import { LockPolicy, retainUntil } from '../sealing/lock-policy';
import { DAY_MS } from '../time/units';

/** The lock headers S3 returns for an object version (HeadObject). */
export interface LockHeaders {
  readonly mode?: string;
  readonly retainUntil?: Date;
}

/**
 * Why a sealed version's lock headers do not keep the stage's promise, or
 * undefined when they do: the stage's mode, and a retain-until no earlier
 * than the policy's from the moment it was written (a day of slack for S3's
 * rounding and clock skew; a longer lock is never a broken promise).
 */
export function lockShortfall(
  headers: LockHeaders,
  lock: LockPolicy,
  writtenAt: Date,
): string | undefined {
  if (headers.mode !== lock.mode)
    return `lock mode ${headers.mode ?? 'none'}, the stage locks with ${lock.mode}`;
  if (headers.retainUntil === undefined) return 'no retain-until date';
  const least = retainUntil(lock, writtenAt).getTime() - DAY_MS;
  if (headers.retainUntil.getTime() < least)
    return `retained until ${headers.retainUntil.toISOString()}, before ${new Date(least).toISOString()}`;
  return undefined;
}
