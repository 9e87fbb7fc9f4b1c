import { addDays, formatDay, parseDay } from './days';
import { hourPath } from './hours';
import { FIREHOSE_MAX_BUFFER_MS } from './margins';
import { DAY_MS, HOUR_MS } from './units';

/**
 * When a UTC day is final: the one definition the daily job, the published
 * dataset and the named queries share (docs/analytics.md).
 *
 * Records of day D are counted when they reached Firehose before D+1 00:00
 * plus the lateness window: shipper backlogs after an outage, responders
 * that buffer, a `generate --days 1` file shipped the next morning. Firehose
 * files a record under its arrival hour and delivers that hour's last object
 * up to its 15-minute buffer after the hour ends, so the day is final a
 * buffer after the window closes. A record of D arriving later is never
 * added to D: the run that finalises a later day counts it as arrived after
 * final (metric OcspRecordsAfterFinal, alarmed).
 */

/** Hours after a day ends during which its late records are still counted. */
export const DAY_LATENESS_HOURS = 24;

export interface DayWindow {
  /** First and last arrival-hour partitions (`YYYY/MM/dd/HH`) holding counted records of the day. */
  readonly firstHour: string;
  readonly lastHour: string;
  /** Records of the day that arrived from this instant on are not counted. */
  readonly arrivedBefore: Date;
  /** The day is final, and may be published, from this instant on. */
  readonly finalAt: Date;
}

export function dayWindow(day: string, latenessHours = DAY_LATENESS_HOURS): DayWindow {
  const start = parseDay(day).getTime();
  const arrivedBefore = start + DAY_MS + latenessHours * HOUR_MS;
  return {
    // A responder clock slightly ahead files a record of D in D-1's last hour.
    firstHour: hourPath(new Date(start - HOUR_MS)),
    lastHour: hourPath(new Date(arrivedBefore - HOUR_MS)),
    arrivedBefore: new Date(arrivedBefore),
    finalAt: new Date(arrivedBefore + FIREHOSE_MAX_BUFFER_MS),
  };
}

/**
 * First and last arrival-hour partition holding counted records of `day`:
 * the named queries, the report and the daily job count the same records.
 */
export function partitionRange(day: string): { first: string; last: string } {
  const { firstHour, lastHour } = dayWindow(day);
  return { first: firstHour, last: lastHour };
}

export function isFinal(day: string, now: Date, latenessHours = DAY_LATENESS_HOURS): boolean {
  return now.getTime() >= dayWindow(day, latenessHours).finalAt.getTime();
}

/** The most recent day that is final at `now`. */
export function latestFinalDay(now: Date, latenessHours = DAY_LATENESS_HOURS): string {
  let day = formatDay(now);
  while (!isFinal(day, now, latenessHours)) day = addDays(day, -1);
  return day;
}

/**
 * The arrival hours the run that finalises `day` scans for records that came
 * after their own day was final: the hours from the previous day's window end
 * to this day's, so consecutive days scan disjoint hours and no late record
 * is counted twice. All of them have landed once `day` is final.
 */
export function afterFinalScanHours(
  day: string,
  latenessHours = DAY_LATENESS_HOURS,
): { first: string; last: string } {
  const previous = dayWindow(addDays(day, -1), latenessHours);
  return {
    first: hourPath(previous.arrivedBefore),
    last: dayWindow(day, latenessHours).lastHour,
  };
}
