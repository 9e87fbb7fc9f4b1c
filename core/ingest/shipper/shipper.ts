import { setTimeout as sleep } from 'node:timers/promises';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { LineParser } from '../formats';
import { LogType } from '../schemas';
import { InputLine } from './lines';
import { billedBytes, FIREHOSE } from './limits';
import { defaultLimits, Packer, PackedRecord, PackerLimits } from './packer';
import { backoffMs, classifyFailure, defaultRetryPolicy, RetryPolicy } from './retry';
import { RejectedLine, runSource, validateLine } from './validate';
import { validateParsedLine } from './validate-parsed';

/** Where lines that are not shipped go; both are awaited, so they can write to files. */
export interface ShipperSinks {
  /** An invalid line; it is counted and never stops the others. */
  reject(line: RejectedLine): void | Promise<void>;
  /** Stored lines Firehose did not take after every retry, with the last error. */
  deadLetter(lines: string, lineNos: number[], error: string): void | Promise<void>;
}

export interface ShipperOptions {
  readonly client: FirehoseClient;
  readonly type: LogType;
  /** Stream names; batches go round-robin over all of them. */
  readonly streams: readonly string[];
  readonly sinks: ShipperSinks;
  /** Batches in flight at once; `write` waits when this many are sending (backpressure). @default 4 */
  readonly concurrency?: number;
  /** Send a partly filled batch after this long, so a slow trickle is not held back. @default 1000 */
  readonly maxDelayMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly limits?: PackerLimits;
  /**
   * Identity of the input, from which each line's `line_id` is derived
   * (core/ingest/line-id.ts): the same source and lines give the same ids.
   * @default a random id for this run
   */
  readonly source?: string;
  /**
   * Parser of a non-JSON source (core/ingest/formats, `createParser`); its
   * records pass the same checks as JSON lines.
   * @default undefined: lines are NDJSON in the log type's input schema
   */
  readonly parser?: LineParser;
  /** Ingestion time for the plausibility window, ms since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** Called after each send attempt, for progress displays. */
  readonly onProgress?: (stats: ShipperStats) => void;
}

/** Counters of a shipping run; the JSON summary of `logvault ship`. */
export interface ShipperStats {
  linesRead: number;
  blankLines: number;
  rejected: number;
  accepted: number;
  delivered: number;
  deadLettered: number;
  /** Firehose records delivered, and their bytes. */
  records: number;
  bytes: number;
  /** Bytes Firehose bills for those records (each rounded up to 5 KB). */
  billedBytes: number;
  batches: number;
  /** Re-sends: whole batches after throttling or errors, single entries after partial failures. */
  retries: number;
  throttled: number;
  partialFailures: number;
  /** Lines re-sent after a failure that may have been delivered anyway (at-least-once). */
  possibleDuplicates: number;
}

function emptyStats(): ShipperStats {
  return {
    linesRead: 0,
    blankLines: 0,
    rejected: 0,
    accepted: 0,
    delivered: 0,
    deadLettered: 0,
    records: 0,
    bytes: 0,
    billedBytes: 0,
    batches: 0,
    retries: 0,
    throttled: 0,
    partialFailures: 0,
    possibleDuplicates: 0,
  };
}

export { MAX_INPUT_LINE_BYTES } from './limits';

/**
 * Validates, packs and sends log lines to Firehose. Memory stays bounded:
 * `concurrency` batches sending, one waiting for a slot and one filling,
 * each ≤ 4 MiB; `write` waits while the senders are busy. Failed entries, and only those,
 * are retried with jittered backoff; what still fails is dead-lettered.
 * Call `close()` (also on SIGTERM) to send what is held.
 */
export class Shipper {
  readonly stats: ShipperStats = emptyStats();
  private readonly packer: Packer;
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;
  private readonly maxDelayMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private nextStream = 0;
  private timer?: NodeJS.Timeout;
  private timedFlush?: Promise<void>;
  private failure?: Error;
  private readonly source: string;

  constructor(private readonly options: ShipperOptions) {
    if (options.streams.length === 0) throw new Error('at least one stream is required');
    this.packer = new Packer(options.limits ?? defaultLimits);
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.concurrency = options.concurrency ?? 4;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    this.source = options.source ?? runSource();
  }

  /** Validates and queues one input line; resolves when there is room for the next. */
  async write(line: InputLine): Promise<void> {
    this.stats.linesRead++;
    const now = (this.options.clock ?? Date.now)();
    const context = { source: this.source, now };
    const { type, parser } = this.options;
    const result = parser
      ? validateParsedLine(type, parser, line, FIREHOSE.maxRecordBytes, context)
      : validateLine(type, line, FIREHOSE.maxRecordBytes, context);
    if (result === undefined) {
      this.stats.blankLines++;
      return;
    }
    if ('rejected' in result) {
      this.stats.rejected++;
      await this.options.sinks.reject(result.rejected);
      return;
    }
    this.stats.accepted++;
    for (const batch of this.packer.add(result.accepted)) await this.dispatch(batch);
    if (this.packer.pendingLines > 0 && !this.timer) {
      // A trickle of lines still leaves within maxDelayMs.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.timedFlush = this.flushHeld().catch((error: Error) => {
          this.failure ??= error;
        });
      }, this.maxDelayMs);
      this.timer.unref();
    }
  }

  /** Sends everything held and waits for every send to finish (delivered or dead-lettered). */
  async close(): Promise<ShipperStats> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // A timed flush may still be waiting for a sending slot with batches it drained.
    await this.timedFlush;
    await this.flushHeld();
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    return this.stats;
  }

  private async flushHeld(): Promise<void> {
    for (const batch of this.packer.drain()) await this.dispatch(batch);
  }

  /** Starts sending a batch once fewer than `concurrency` are in flight. */
  private async dispatch(batch: PackedRecord[]): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    const stream = this.options.streams[this.nextStream++ % this.options.streams.length];
    const sending: Promise<void> = this.send(stream, batch)
      .catch((error: Error) => {
        // Only a failing sink lands here (e.g. the dead-letter file is unwritable).
        this.failure ??= error;
      })
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send(stream: string, batch: PackedRecord[]): Promise<void> {
    let pending = batch;
    let lastError = '';
    let ambiguous = false;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      if (attempt > 1) {
        this.stats.retries += pending.length;
        if (ambiguous) this.stats.possibleDuplicates += lineCount(pending);
        await sleep(backoffMs(this.retry, attempt - 1));
      }
      ambiguous = false;
      this.stats.batches++;
      let response;
      try {
        response = await this.options.client.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: stream,
            Records: pending.map((r) => ({ Data: r.data })),
          }),
        );
      } catch (error) {
        const kind = classifyFailure(error);
        lastError = `${(error as Error).name}: ${(error as Error).message}`;
        if (kind === 'permanent') break;
        if (kind === 'throttled') this.stats.throttled++;
        // A server error or dropped connection may follow a successful write.
        ambiguous = kind === 'transient';
        this.options.onProgress?.(this.stats);
        continue;
      }
      const results = response.RequestResponses ?? [];
      const failed = pending.filter((_, i) => results[i]?.ErrorCode !== undefined);
      if (results.length !== pending.length) {
        lastError = `response has ${results.length} entries for ${pending.length} records`;
        ambiguous = true;
        continue;
      }
      this.account(pending.filter((_, i) => results[i]?.ErrorCode === undefined));
      if (failed.length === 0) {
        this.options.onProgress?.(this.stats);
        return;
      }
      this.stats.partialFailures++;
      const first = results.find((r) => r.ErrorCode !== undefined)!;
      lastError = `${first.ErrorCode}: ${first.ErrorMessage ?? ''}`;
      pending = failed;
      this.options.onProgress?.(this.stats);
    }
    const lines = pending.reduce((n, r) => n + r.lineCount, 0);
    this.stats.deadLettered += lines;
    await this.options.sinks.deadLetter(
      Buffer.concat(pending.map((r) => r.data)).toString(),
      pending.flatMap((r) => r.lineNos),
      lastError,
    );
    this.options.onProgress?.(this.stats);
  }

  private account(records: PackedRecord[]): void {
    for (const r of records) {
      this.stats.records++;
      this.stats.bytes += r.data.length;
      this.stats.billedBytes += billedBytes(r.data.length);
      this.stats.delivered += r.lineCount;
    }
  }
}

const lineCount = (records: PackedRecord[]) => records.reduce((n, r) => n + r.lineCount, 0);
