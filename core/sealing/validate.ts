import { logObjectBytes } from '../s3/log-text';
import { acmeEventRecord } from '../ingest/schemas/acme-event';
import { logTypes } from '../ingest/schemas';

/**
 * Whether a landing object may go where the tables read, and if not, why.
 * `otherClass` marks an object holding OCSP request records: it must not be
 * archived at all, not even under quarantine, since the archive locks for
 * years what the policy deletes within seven days.
 */
export type SealVerdict =
  | { readonly ok: true; readonly lines: number }
  | { readonly ok: false; readonly reason: string; readonly otherClass?: 'ocsp' };

/** User metadata of a quarantined archive object: why it failed validation. */
export const QUARANTINE_REASON_METADATA = 'quarantine-reason';

/** S3 user metadata carries US-ASCII only, at most 2 KB in all. */
const MAX_REASON_CHARS = 512;

function decompressed(body: Uint8Array): Buffer | string {
  try {
    return logObjectBytes(body);
  } catch (error) {
    return (error as Error).message;
  }
}

function text(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Why one line is not a stored ACME event (names fields, never values: they
 * are personal data), and whether it is an OCSP request instead, as stored
 * or as a producer writes it (it carries a client IP). Parses the line once.
 */
function lineProblem(line: string): { problem: string; ocsp: boolean } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { problem: 'not JSON', ocsp: false };
  }
  const parsed = acmeEventRecord.safeParse(json);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || '(record)';
  const ocsp =
    logTypes.ocsp.record.safeParse(json).success || logTypes.ocsp.input.safeParse(json).success;
  return { problem: `${field}: ${issue.code}`, ocsp };
}

/** Keeps a reason storable as S3 metadata: printable ASCII, bounded. */
function storable(reason: string): string {
  return reason.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_REASON_CHARS);
}

/**
 * Checks a landing object as the ACME table will read it: GZIP (as Firehose
 * writes it) or plain, UTF-8, and every non-empty line a stored ACME event
 * (the schema the shipper and the Firehose transformation write). The reason
 * names the first bad line, its field and how many lines are bad; an object
 * with any OCSP request line is marked `otherClass`, whatever else it holds.
 */
export function validateSealable(body: Uint8Array): SealVerdict {
  const bytes = decompressed(body);
  if (typeof bytes === 'string') return { ok: false, reason: storable(bytes) };
  const decoded = text(bytes);
  if (decoded === undefined) return { ok: false, reason: 'not UTF-8 text' };
  const lines = decoded.split('\n');
  let checked = 0;
  let bad = 0;
  let ocsp = 0;
  let first: string | undefined;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    checked++;
    const found = lineProblem(line);
    if (found === undefined) return;
    bad++;
    if (found.ocsp) ocsp++;
    first ??= `line ${i + 1}: ${found.problem}`;
  });
  if (first === undefined) return { ok: true, lines: checked };
  if (ocsp > 0)
    return {
      ok: false,
      otherClass: 'ocsp',
      reason: `${ocsp} of ${checked} lines are OCSP requests (another retention class)`,
    };
  return {
    ok: false,
    reason: storable(`${bad} of ${checked} lines are not ACME events; first ${first}`),
  };
}
