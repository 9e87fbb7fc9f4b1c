import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { implausibleTimestamp } from '../../time/plausibility';
import type { RejectCode } from '../formats/outcome';
import { lineIdOf } from '../line-id';
import { LogType, logTypes } from '../schemas';
import { InputLine } from './lines';
import { MAX_INPUT_LINE_BYTES } from './limits';

/** Where lines are read and when, for their `line_id` and the plausibility window. */
export interface LineContext {
  /** The source's identity (core/ingest/line-id.ts). */
  readonly source: string;
  /** Ingestion time, ms since the epoch. */
  readonly now: number;
  /**
   * The line's position for its `line_id` when it is not the line number: the
   * Firehose transformation uses the ordinal of an identical line in its record.
   */
  readonly position?: number;
}

/** A source identity for input that names none: unique per run, so ids never collide. */
export const runSource = () => `run:${randomUUID()}`;
const RUN_SOURCE = runSource();
const defaultContext = (): LineContext => ({ source: RUN_SOURCE, now: Date.now() });

/** A line that will be shipped: the stored form of the record, newline-terminated. */
export interface AcceptedLine {
  readonly lineNo: number;
  readonly text: string;
}

/** A line that was not shipped, and why. */
export interface RejectedLine {
  readonly lineNo: number;
  readonly reason: string;
  /**
   * The start of the input as received, for the reject file; the whole line
   * when it is a valid ACME event outside the plausibility window, which must
   * not be lost (docs/ingestion.md).
   */
  readonly input: string;
  /** The parser's reason code, when a source format's parser refused the line. */
  readonly code?: RejectCode;
}

/** How much of a rejected line the reject file repeats. */
const ECHO_CHARS = 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(line)'}: ${i.message}`)
    .join('; ');
}

export type LineResult = { accepted: AcceptedLine } | { rejected: RejectedLine } | undefined;

/**
 * The text of one input line, or why it cannot be read: too long to hold, or
 * not UTF-8; undefined for a blank line, which every format skips. Every
 * format starts here, so these reasons read the same.
 */
export function decodeLine(
  line: InputLine,
  maxBytes: number,
): { text: string; bytes: Buffer } | { rejected: RejectedLine } | undefined {
  const { lineNo } = line;
  if ('oversizeBytes' in line)
    return {
      rejected: {
        lineNo,
        // The read limit, not the record limit, is what this line hit.
        reason:
          `line is ${line.oversizeBytes} bytes, more than the ${MAX_INPUT_LINE_BYTES}-byte ` +
          `(8 MiB) limit of one input line; a stored record holds at most ${maxBytes} bytes`,
        input: '',
      },
    };
  try {
    const text = utf8.decode(line.bytes);
    return text.trim() === '' ? undefined : { text, bytes: line.bytes };
  } catch {
    return {
      rejected: {
        lineNo,
        reason: 'not valid UTF-8 (binary data?)',
        input: line.bytes.subarray(0, ECHO_CHARS).toString('latin1'),
      },
    };
  }
}

/** The reject-file entry of a line: the reason and the start of the line. */
export const rejectedLine = (lineNo: number, reason: string, text: string): RejectedLine => ({
  lineNo,
  reason,
  input: text.slice(0, ECHO_CHARS),
});

/**
 * Validates one input line against the log type's input schema and returns
 * the stored record (user agents reduced to families, bodies capped), or the
 * reason it cannot be shipped. `maxBytes` is the largest stored line allowed.
 * Each record gets its `line_id` from `context` (kept if the line has one)
 * and must lie in the plausibility window around `context.now`.
 * Blank lines return undefined: they are skipped, not rejected.
 */
export function validateLine(
  type: LogType,
  line: InputLine,
  maxBytes: number,
  context: LineContext = defaultContext(),
): LineResult {
  const { lineNo } = line;
  const decoded = decodeLine(line, maxBytes);
  if (decoded === undefined || 'rejected' in decoded) return decoded;
  const { text } = decoded;
  const reject = (reason: string) => ({ rejected: rejectedLine(lineNo, reason, text) });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return reject(`not JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return reject('not a JSON object');
  const parsed = logTypes[type].input.safeParse(json);
  if (!parsed.success) return reject(describeIssues(parsed.error));
  const implausible = implausibleTimestamp(type, parsed.data.ts, context.now);
  if (implausible !== undefined)
    return type === 'acme'
      ? { rejected: { lineNo, reason: implausible, input: text } }
      : reject(implausible);
  const position = context.position ?? lineNo;
  const origin = { source: context.source, position, bytes: decoded.bytes };
  const record = { ...parsed.data, line_id: parsed.data.line_id ?? lineIdOf(origin, 0) };
  const stored = JSON.stringify(record) + '\n';
  const bytes = Buffer.byteLength(stored);
  if (bytes > maxBytes)
    return reject(`stored record is ${bytes} bytes, more than the ${maxBytes} a record can hold`);
  return { accepted: { lineNo, text: stored } };
}
