import { prefixes } from '../naming';

/**
 * Key layout of the subscriber archive. Archive keys are the landing keys
 * (`acme/YYYY/MM/dd/HH/<object>`, Firehose's arrival hour in UTC), so the
 * Athena table's partition projection reads the archive unchanged; digests
 * live beside them under `digests/YYYY/MM/dd/HH.json`, one per sealing hour.
 */
export const SEALED_PREFIX = prefixes.acme;
export const DIGEST_PREFIX = prefixes.digests;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The start of the UTC hour containing `at`. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function addHours(hour: Date, hours: number): Date {
  return new Date(hour.getTime() + hours * HOUR_MS);
}

/** `YYYY/MM/dd/HH` of an hour, as Firehose writes it. */
export function hourPath(hour: Date): string {
  return `${dayPath(hour)}/${pad(hour.getUTCHours())}`;
}

/** `YYYY/MM/dd` of a day. */
export function dayPath(at: Date): string {
  return `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}`;
}

export function digestKey(hour: Date): string {
  return `${DIGEST_PREFIX}${hourPath(hour)}.json`;
}

/** The hour a digest key covers, or undefined for keys that are not digests. */
export function hourOfDigestKey(key: string): Date | undefined {
  const m = /^digests\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\.json$/.exec(key);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4])) : undefined;
}

/**
 * Archive day prefixes (`acme/YYYY/MM/dd/`) whose objects can have been sealed
 * between `from` and `to`: an object is sealed at most `scanDays` after it
 * arrived (landing expires it otherwise), and never before.
 */
export function sealedDayPrefixes(from: Date, to: Date, scanDays: number): string[] {
  const first = Math.floor((from.getTime() - scanDays * DAY_MS) / DAY_MS);
  // One hour of slack: Firehose names the arrival hour from its own clock.
  const last = Math.floor((to.getTime() + HOUR_MS) / DAY_MS);
  const prefixes: string[] = [];
  for (let day = first; day <= last; day++)
    prefixes.push(`${SEALED_PREFIX}${dayPath(new Date(day * DAY_MS))}/`);
  return prefixes;
}
