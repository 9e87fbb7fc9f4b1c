import { lockSpanDays } from '../config/archive-retention';
import type { StageConfig } from '../config/stage-config';
import { DAY_MS } from '../time/units';

/** How sealed objects and digests are locked: the stage's configured archive lock. */
export interface LockPolicy {
  readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
  /** The shortest the lock lasts in whole days (for years: calendar years at their shortest). */
  readonly days: number;
  /** Present when the stage locks for calendar years: retain-until is then the date that many years on. */
  readonly years?: number;
}

/** The stage's archive lock as sealing applies it. */
export function stageLockPolicy(config: StageConfig): LockPolicy {
  const { mode, duration } = config.subscriber.lock;
  const days = lockSpanDays(duration).min;
  return 'years' in duration ? { mode, days, years: duration.years } : { mode, days };
}

/**
 * The retain-until date of an object written at `now`. Years are calendar
 * years, as the bucket's default retention counts them: 365-day multiples
 * would end a day or two early. 29 February rolls over to 1 March in a
 * non-leap year (never earlier than the anniversary).
 */
export function retainUntil(lock: LockPolicy, now: Date): Date {
  if (lock.years === undefined) return new Date(now.getTime() + lock.days * DAY_MS);
  const until = new Date(now.getTime());
  until.setUTCFullYear(now.getUTCFullYear() + lock.years);
  return until;
}
