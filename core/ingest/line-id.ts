import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * `line_id`: the identity of one stored record, so analytics can count a
 * line once however often at-least-once delivery stores it. 32 lowercase hex
 * characters, the first 128 bits of a SHA-256 over where the line came from,
 * its raw bytes and the record's ordinal within the line (an OCSP request
 * naming several certificates yields one record per CertID, each with its own
 * id, so deduplicating on `line_id` never merges two certificates).
 *
 * - `logvault ship`: source = the file's device, inode and path (or
 *   `--source-id`), position = line number: re-shipping the same file gives
 *   the same ids.
 * - Firehose transformation: source = the constant `firehose`, position = how
 *   many identical lines came before this one in the same producer record.
 *   Identical lines in different producer records therefore get one id (a
 *   documented limitation, docs/ingestion.md).
 */

export const LINE_ID_PATTERN = /^[0-9a-f]{32}$/;

export const lineIdSchema = z
  .string()
  .regex(LINE_ID_PATTERN, { message: 'must be 32 lowercase hex characters' })
  .describe('identity of the shipped line (first 128 bits of a SHA-256), for counting it once');

/** Bumped if the derivation ever changes, so old and new ids never collide. */
const DOMAIN = 'line-id/v1';

/** Where a line was read: which source, at which position in it. */
export interface LineOrigin {
  /** The source's identity, e.g. `file:<dev>:<ino>:<path>` or `firehose`. */
  readonly source: string;
  /** Line number in a file, or occurrence ordinal of an identical line in a Firehose record. */
  readonly position: number;
  /** The raw line, exactly as read (without its newline). */
  readonly bytes: Buffer;
}

/** The `line_id` of record `ordinal` (from 0) of the line read at `origin`. */
export function lineIdOf(origin: LineOrigin, ordinal: number): string {
  return createHash('sha256')
    .update(`${DOMAIN}\0${origin.source}\0${origin.position}\0${ordinal}\0`)
    .update(origin.bytes)
    .digest('hex')
    .slice(0, 32);
}
