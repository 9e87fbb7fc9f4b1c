import { DAY_MS, HOUR_MS } from './units';

/**
 * Hours in UTC, and `YYYY/MM/dd/HH`: the path Firehose files a record under
 * (its arrival hour), which is also the Glue projection's `hour` value.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** The start of the UTC hour containing `at`. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function addHours(hour: Date, hours: number): Date {
  return new Date(hour.getTime() + hours * HOUR_MS);
}

/** `YYYY/MM/dd` of the UTC day of `at`. */
export function dayPath(at: Date): string {
  return `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}`;
}

/** `YYYY/MM/dd/HH` of the UTC hour of `at`. */
export function hourPath(at: Date): string {
  return `${dayPath(at)}/${pad(at.getUTCHours())}`;
}

/** The start of every UTC hour that overlaps [from, to). */
export function hoursOverlapping(from: number, to: number): Date[] {
  const hours: Date[] = [];
  for (let h = hourOf(new Date(from)).getTime(); h < to; h += HOUR_MS) hours.push(new Date(h));
  return hours;
}

/** The start of every UTC day whose date is in [from's day, to's day]. */
export function daysBetween(from: number, to: number): Date[] {
  const days: Date[] = [];
  for (let d = Math.floor(from / DAY_MS); d <= Math.floor(to / DAY_MS); d++)
    days.push(new Date(d * DAY_MS));
  return days;
}
