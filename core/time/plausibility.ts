import { DAY_MS, HOUR_MS, MINUTE_MS } from './units';

/**
 * How far a record's own timestamp may lie from the moment it is ingested
 * (docs/ingestion.md, "Plausible timestamps"). Outside the window a record
 * is rejected with the reason, never stored: an ACME event rejected this way
 * stays in the shipper's reject file (or the stream's error prefix).
 *
 * - OCSP, at most 24 hours old: the policy's seven days count from the
 *   request, and a raw copy can live `rawLogExpiryDays` + 1 days after it
 *   lands (S3 rounds expiry up to midnight): 5 + 1 + 1 = 7. An older record
 *   stored now would outlive the promise (test/config checks every stage).
 * - ACME, at most 400 days old: a year of history can be backfilled; older
 *   stamps (1970, year 1) are clock or parsing errors.
 * - Both: at most 5 minutes in the future, for clocks slightly ahead; a day
 *   ahead can never be aggregated correctly.
 */
export const PLAUSIBLE_WINDOWS = {
  ocsp: { maxAgeMs: 24 * HOUR_MS, maxAheadMs: 5 * MINUTE_MS },
  acme: { maxAgeMs: 400 * DAY_MS, maxAheadMs: 5 * MINUTE_MS },
} as const;

export type TimedLogType = keyof typeof PLAUSIBLE_WINDOWS;

/** A duration in the largest unit that still reads as a plural (25 hours, not 1 days). */
const spell = (ms: number) =>
  ms >= 2 * DAY_MS
    ? `${Math.round(ms / DAY_MS)} days`
    : ms >= 2 * HOUR_MS
      ? `${Math.round(ms / HOUR_MS)} hours`
      : `${Math.round(ms / MINUTE_MS)} minutes`;

/**
 * Why `ts` (ISO 8601) is implausible for a record of `logType` ingested at
 * `now` (ms), or undefined when it is inside the window.
 */
export function implausibleTimestamp(
  logType: TimedLogType,
  ts: string,
  now: number,
): string | undefined {
  const at = Date.parse(ts);
  const window = PLAUSIBLE_WINDOWS[logType];
  if (at < now - window.maxAgeMs)
    return (
      `ts ${ts} is ${spell(now - at)} before ingestion: ${logType} records are accepted up to ` +
      `${spell(window.maxAgeMs)} old (docs/ingestion.md, "Plausible timestamps")`
    );
  if (at > now + window.maxAheadMs)
    return (
      `ts ${ts} is ${spell(at - now)} after ingestion: the source's clock is ahead; ` +
      `at most ${spell(window.maxAheadMs)} is accepted`
    );
  return undefined;
}
