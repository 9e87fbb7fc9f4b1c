import { FIREHOSE } from './limits';
import { AcceptedLine } from './validate';

/** One Firehose record: whole newline-terminated lines, never a split line. */
export interface PackedRecord {
  readonly data: Buffer;
  /** Input line numbers inside, in order (for the dead-letter file and tests). */
  readonly lineNos: number[];
  readonly lineCount: number;
}

export interface PackerLimits {
  readonly maxRecordBytes: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
}

export const defaultLimits: PackerLimits = {
  maxRecordBytes: FIREHOSE.maxRecordBytes,
  maxBatchRecords: FIREHOSE.maxBatchRecords,
  maxBatchBytes: FIREHOSE.maxBatchBytes,
};

/**
 * Packs lines into records as full as the record limit allows (Firehose
 * bills every record rounded up to 5 KB, so one 300-byte line alone costs
 * 17× its size) and records into batches within PutRecordBatch's limits.
 * `add` returns a batch whenever one is full; `drain` returns the rest.
 */
export class Packer {
  private batch: PackedRecord[] = [];
  private batchBytes = 0;
  private current: Buffer[] = [];
  private currentBytes = 0;
  private currentLines: number[] = [];

  constructor(private readonly limits: PackerLimits = defaultLimits) {}

  /** Lines held and not yet returned in a batch. */
  get pendingLines(): number {
    return this.batch.reduce((n, r) => n + r.lineCount, 0) + this.currentLines.length;
  }

  /** Adds a line (at most maxRecordBytes); returns the batches it completed (usually none). */
  add(line: AcceptedLine): PackedRecord[][] {
    const bytes = Buffer.from(line.text);
    if (bytes.length > this.limits.maxRecordBytes)
      throw new Error(`line ${line.lineNo} is larger than a record`);
    const full: PackedRecord[][] = [];
    if (this.currentBytes + bytes.length > this.limits.maxRecordBytes)
      full.push(...this.closeRecord());
    // The open record may not grow its batch past the byte limit either.
    if (this.batchBytes + this.currentBytes + bytes.length > this.limits.maxBatchBytes) {
      full.push(...this.closeRecord());
      if (this.batch.length > 0) full.push(this.takeBatch());
    }
    this.current.push(bytes);
    this.currentBytes += bytes.length;
    this.currentLines.push(line.lineNo);
    return full;
  }

  /** Everything held, as zero or more batches. */
  drain(): PackedRecord[][] {
    const out = this.closeRecord();
    if (this.batch.length > 0) out.push(this.takeBatch());
    return out;
  }

  /** Moves the open record into the batch, first handing out the batch if the record would not fit. */
  private closeRecord(): PackedRecord[][] {
    if (this.currentLines.length === 0) return [];
    const full: PackedRecord[][] = [];
    if (
      this.batch.length >= this.limits.maxBatchRecords ||
      this.batchBytes + this.currentBytes > this.limits.maxBatchBytes
    )
      full.push(this.takeBatch());
    this.batch.push({
      data: Buffer.concat(this.current, this.currentBytes),
      lineNos: this.currentLines,
      lineCount: this.currentLines.length,
    });
    this.batchBytes += this.currentBytes;
    this.current = [];
    this.currentBytes = 0;
    this.currentLines = [];
    return full;
  }

  private takeBatch(): PackedRecord[] {
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    return batch;
  }
}
