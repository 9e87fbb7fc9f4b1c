import { prefixes } from '../naming';
import { addHours, dayPath, daysBetween, hourOf, hourPath } from '../time/hours';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time/units';

/**
 * Key layout of the subscriber archive. Archive keys are the landing keys
 * (`acme/YYYY/MM/dd/HH/<object>`, Firehose's arrival hour in UTC), so the
 * Athena table's partition projection reads the archive unchanged; digests
 * live beside them under `digests/YYYY/MM/dd/HH.json`, one per sealing hour.
 */
export const SEALED_PREFIX = prefixes.acme;
export const DIGEST_PREFIX = prefixes.digests;
/** Objects that failed validation at sealing: `quarantine/acme/…`, outside the table's `acme/`. */
export const QUARANTINE_PREFIX = prefixes.quarantine;

/** Where a landing object that fails validation is archived: its key under the quarantine prefix. */
export function quarantineKey(landingKey: string): string {
  return `${QUARANTINE_PREFIX}${landingKey}`;
}

/** Whether an archive key is a quarantined object. */
export function isQuarantined(key: string): boolean {
  return key.startsWith(QUARANTINE_PREFIX);
}

/** The digest of hour H is written at H+1:DIGEST_AT_MINUTE, once every seal of H has finished. */
export const DIGEST_AT_MINUTE = 15;

/** The last hour whose digest must exist at `now`: the digest of hour H is written at H+1:15. */
export function lastDueHour(now: Date): Date {
  return addHours(hourOf(new Date(now.getTime() - DIGEST_AT_MINUTE * MINUTE_MS)), -1);
}

export { HOUR_MS, DAY_MS } from '../time/units';
export { addHours, hourOf, hourPath } from '../time/hours';

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
  // One hour of slack: Firehose names the arrival hour from its own clock.
  return daysBetween(from.getTime() - scanDays * DAY_MS, to.getTime() + HOUR_MS).map(
    (day) => `${SEALED_PREFIX}${dayPath(day)}/`,
  );
}

/** The day prefixes of `sealedDayPrefixes`, each also under the quarantine prefix: all sealing writes. */
export function archivedDayPrefixes(from: Date, to: Date, scanDays: number): string[] {
  const sealed = sealedDayPrefixes(from, to, scanDays);
  return [...sealed, ...sealed.map(quarantineKey)];
}

/** Prefixes outside which nothing is data: the evidence verify checks through the chain and the anchors. */
export const EVIDENCE_PREFIXES = [DIGEST_PREFIX, prefixes.anchors] as const;

/**
 * Whether the digest of a version written in `hour` looks where its key is:
 * a key under one of that hour's `archivedDayPrefixes`. Sealing writes nowhere
 * else (an object is sealed within `scanDays` of its arrival hour), so a key
 * outside them is named by no digest, now or later.
 */
export function digestLooksAt(key: string, hour: Date, scanDays: number): boolean {
  return archivedDayPrefixes(hour, addHours(hour, 1), scanDays).some((p) => key.startsWith(p));
}
