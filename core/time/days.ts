import { DAY_MS } from './units';

/** Calendar arithmetic for the daily jobs, in UTC: `YYYY-MM-DD` strings. */

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a `YYYY-MM-DD` day, refusing impossible dates such as 2026-02-30. */
export function parseDay(day: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (!isoDay.test(day) || Number.isNaN(date.getTime()) || formatDay(date) !== day)
    throw new Error(`not a day (YYYY-MM-DD): ${day}`);
  return date;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return formatDay(new Date(parseDay(day).getTime() + days * DAY_MS));
}

/**
 * The days whose raw OCSP records are still all there. Raw objects expire
 * `rawLogExpiryDays` after creation, rounded up to midnight UTC; the earliest
 * partition read for day D (D-1 23:00) can therefore be gone from
 * D + rawLogExpiryDays on. Today is still being written, so it is included
 * only on request (`partialToday`): a later run replaces it with the full day.
 */
export function rawWindow(
  now: Date,
  rawLogExpiryDays: number,
  options: { partialToday?: boolean } = {},
): { first: string; last: string } {
  const today = formatDay(now);
  return {
    first: addDays(today, -(rawLogExpiryDays - 1)),
    last: options.partialToday ? today : addDays(today, -1),
  };
}

/** Throws a message naming the allowed range when `day` is outside the raw window. */
export function assertInRawWindow(
  day: string,
  now: Date,
  rawLogExpiryDays: number,
  options: { partialToday?: boolean } = {},
): void {
  parseDay(day);
  const { first, last } = rawWindow(now, rawLogExpiryDays, options);
  if (day < first || day > last)
    throw new OutsideRawWindowError(
      `${day} is outside the raw OCSP window: only ${first} to ${last} can be aggregated ` +
        `(raw logs expire after ${rawLogExpiryDays} days; today is still being written: use --today)`,
    );
}

export class OutsideRawWindowError extends Error {}
