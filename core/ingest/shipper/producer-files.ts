import type { RejectedLine } from './validate';

/**
 * The reject and dead-letter files `logvault ship` leaves on the producer's
 * host hold client IPs (rejects also raw user agents and whatever else the
 * line held), outside the stores' retention. Two options bound that:
 * redacted reject entries, and expiry of old files on the next run.
 */

/** Name endings of the files `logvault ship` writes by default; expiry only ever removes these. */
export const PRODUCER_FILE_SUFFIXES = ['.rejects.ndjson', '.dead.ndjson'] as const;

const DAY_MS = 86_400_000;

/**
 * One reject-file line. Redacted, it keeps the line number and the reason
 * (which names fields, never their values), never the input: the line is
 * found again in FILE by its number.
 */
export function rejectEntry(rejected: RejectedLine, redact: boolean): string {
  const { lineNo: line, reason, input } = rejected;
  return JSON.stringify(redact ? { line, reason } : { line, reason, input }) + '\n';
}

/** True for a producer file last written more than `retentionDays` before `now`. */
export function isExpiredProducerFile(
  name: string,
  modifiedMs: number,
  now: number,
  retentionDays: number,
): boolean {
  return (
    PRODUCER_FILE_SUFFIXES.some((suffix) => name.endsWith(suffix)) &&
    now - modifiedMs > retentionDays * DAY_MS
  );
}
