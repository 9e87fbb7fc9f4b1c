import { StageConfig } from './stage-config';

/**
 * How long the subscriber archive keeps an object version, in days. On a
 * versioned bucket, expiring the current version only adds a delete marker;
 * the version then lives on as noncurrent until the noncurrent expiry, so a
 * version lives current-expiry + noncurrent-expiry days. Expiring current
 * versions at the end of the longest lock plus the margin and noncurrent ones
 * one day later keeps "7 years + 30 days" at 7 years + 31 days, not 14 years.
 */
export interface ArchiveRetention {
  /** Shortest a version lives: the lock, calendar years at their shortest (365 d + 1 leap day per 4 years). */
  readonly minDays: number;
  /** Longest a version lives (current plus noncurrent expiry); absent when the archive keeps objects for ever. */
  readonly maxDays?: number;
  /** Age at which the current version expires (becomes noncurrent behind a delete marker). */
  readonly currentExpiryDays?: number;
  /** Days a version stays noncurrent before lifecycle deletes it. */
  readonly noncurrentExpiryDays?: number;
}

type LockDuration = StageConfig['subscriber']['lock']['duration'];

/** The archive retention of a stage. */
export const stageArchiveRetention = (config: StageConfig): ArchiveRetention =>
  archiveRetention(config.subscriber.lock.duration, config.subscriber.expireDaysAfterRetention);

/** Noncurrent versions are deleted the day after they become noncurrent. */
export const NONCURRENT_EXPIRY_DAYS = 1;

/** Shortest and longest span of a lock duration in days (years are calendar years). */
export function lockSpanDays(duration: LockDuration): {
  min: number;
  max: number;
} {
  if ('days' in duration) return { min: duration.days, max: duration.days };
  const y = duration.years;
  return { min: y * 365 + Math.floor(y / 4), max: y * 365 + Math.ceil(y / 4) };
}

/**
 * The archive's retention arithmetic (see `ArchiveRetention`) for a lock and
 * the days expiry waits after the longest that lock can last.
 */
export function archiveRetention(duration: LockDuration, margin?: number): ArchiveRetention {
  const span = lockSpanDays(duration);
  if (margin === undefined) return { minDays: span.min };
  const currentExpiryDays = span.max + margin;
  return {
    minDays: span.min,
    maxDays: currentExpiryDays + NONCURRENT_EXPIRY_DAYS,
    currentExpiryDays,
    noncurrentExpiryDays: NONCURRENT_EXPIRY_DAYS,
  };
}
