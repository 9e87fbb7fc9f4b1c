import { createReadStream } from 'node:fs';
import { FileHandle, lstat, open, readdir, realpath, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { createParser, formatNames, formats } from '../../core/ingest/formats';
import { LogType, logTypeNames } from '../../core/ingest/schemas';
import { logTypeOfStream, recordMisfitsStream } from '../../core/ingest/stream-fit';
import {
  StreamDestinationError,
  checkStreamDestinations,
} from '../../core/ingest/stream-destination';
import {
  isExpiredProducerFile,
  MAX_INPUT_LINE_BYTES,
  rejectEntry,
  Shipper,
  ShipperStats,
  runSource,
  splitLines,
} from '../../core/ingest/shipper';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { deliveryStreamName } from '../../core/naming';
import { Command, ExitCode, UsageError, asUsage, textOptions } from '../command';

const formatList = ['json', ...formatNames].join('|');
const formatHelp = formatNames
  .map((name) => `                    ${name}: ${formats[name].description}`)
  .join('\n');

const usage = `usage: logvault ship --type ocsp|acme (--stream NAME [--stream NAME ...] | --stage NAME) [OPTIONS] [FILE]

Validates log lines (FILE, or stdin when absent or "-"), packs the stored records
into Firehose records and sends them. Prints a JSON summary on stdout; progress on
stderr when it is a terminal.

  --type          log type: ocsp or acme
  --format        ${formatList} (default json): the input's format
                    json: NDJSON in the log type's input schema
${formatHelp}
  --format-options  the format's options as a JSON object, e.g.
                  '{"responderId":"ocsp-edge-1","region":"eu-west-1"}' (docs/formats.md)
  --stream        Firehose delivery stream; repeat to spread batches over several.
                  Before any line is read, each stream is described
                  (firehose:DescribeDeliveryStream) and must deliver into the stage's
                  bucket and prefixes of --type (docs/ingestion.md); a stream that
                  delivers elsewhere, or whose name states the other type, is refused
                  with nothing sent (exit 2)
  --stage         instead of --stream: every stream of the log type in that stage
                  (logvault-<stage>-<type>-1 … -<streamCount>)
  --source-id     identity of the input for each line's line_id (default: FILE's
                  device, inode and path; for stdin a random id per run, so
                  re-shipping stdin gives new ids unless --source-id is repeated)
  --rejects       file for invalid lines with line number and reason, created owner-only (0600)
                  (default FILE.rejects.ndjson, or ship-<time>.rejects.ndjson for stdin)
  --dead-letter   file for valid lines Firehose did not take after every retry,
                  re-shippable as is, owner-only (default FILE.dead.ndjson / ship-<time>.dead.ndjson)
  --redact-rejects  the rejects file keeps line number and reason only, never the line
                  (no client IP, no raw user agent; an implausible ACME event is then
                  only in FILE, not in the rejects file)
  --reject-retention DAYS  first delete this user's *.rejects.ndjson and *.dead.ndjson
                  files older than DAYS in the directories of this run's two files

Records whose ts lies outside the plausibility window (OCSP: more than 24 hours
old; ACME: more than 400 days old; either: more than 5 minutes ahead) are
rejected with the reason; a rejected ACME event is kept whole in the rejects
file (docs/ingestion.md).
  --concurrency   batches in flight at once (default 4)
  --max-delay-ms  send a partly filled record after this long (default 1000)
  --quiet         no progress display

Exit codes: 0 every line delivered; 1 some lines rejected (all valid lines delivered);
2 bad usage, nothing sent; 3 some valid lines dead-lettered, or AWS/environment failure.
SIGTERM/SIGINT stop reading, send what is held, then exit as above; a second signal exits at once.`;

/** Opens the file on first write, so clean runs leave no empty files behind. */
class LazyFile {
  private handle?: Promise<FileHandle>;
  written = false;
  constructor(readonly path: string) {}
  async write(text: string): Promise<void> {
    // Reject and dead-letter lines hold client IPs: owner-only, whatever the umask.
    this.handle ??= open(this.path, 'a', 0o600).then(async (handle) => {
      await handle.chmod(0o600); // an existing file keeps its mode on open
      return handle;
    });
    await (await this.handle).write(text);
    this.written = true;
  }
  async close(): Promise<void> {
    if (this.handle) await (await this.handle).close();
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function progressLine(s: ShipperStats, startedAt: number): string {
  const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
  return (
    `lines ${s.linesRead.toLocaleString('en')} (rejected ${s.rejected}) · ` +
    `delivered ${s.delivered.toLocaleString('en')} in ${s.records} records, ${mib(s.bytes)} · ` +
    `${Math.round(s.delivered / seconds).toLocaleString('en')} lines/s · retries ${s.retries}` +
    (s.deadLettered > 0 ? ` · dead-lettered ${s.deadLettered}` : '')
  );
}

/** The streams to send to: named ones, or all of the type's streams in a stage. */
function streamsOf(type: LogType, named: string[], stage: string | undefined): string[] {
  if (named.length > 0 && stage !== undefined)
    throw new UsageError('give --stream or --stage, not both');
  if (stage === undefined) {
    if (named.length === 0) throw new UsageError('--stream or --stage is required');
    return named;
  }
  const config = asUsage(() => loadStageConfig(stage));
  return Array.from({ length: config.ingestion.streamCount[type] }, (_, i) =>
    deliveryStreamName(stage, type, i + 1),
  );
}

const options = {
  ...textOptions(
    'type',
    'stage',
    'rejects',
    'dead-letter',
    'concurrency',
    'max-delay-ms',
    'source-id',
    'format',
    'format-options',
    'reject-retention',
  ),
  stream: { type: 'string', multiple: true },
  'redact-rejects': { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} as const;

/** A file's identity for line ids: device, inode and path; a directory or missing file is a usage error. */
async function fileSource(file: string): Promise<string> {
  const info = await stat(file).catch(() => {
    throw new UsageError(`cannot read ${file}`);
  });
  if (!info.isFile()) throw new UsageError(`${file} is not a file`);
  return `file:${info.dev}:${info.ino}:${await realpath(file)}`;
}

/** The parser of `--format` (none for json), its options checked before any line is read. */
function parserOf(format: string | undefined, optionsJson: string | undefined) {
  if (format === undefined || format === 'json') {
    if (optionsJson !== undefined)
      throw new UsageError('--format-options needs a --format other than json');
    return undefined;
  }
  if (!(formatNames as string[]).includes(format))
    throw new UsageError(`--format must be one of ${['json', ...formatNames].join(', ')}`);
  let parsedOptions: unknown = {};
  try {
    if (optionsJson !== undefined) parsedOptions = JSON.parse(optionsJson);
  } catch (error) {
    throw new UsageError(`--format-options is not JSON: ${(error as Error).message}`);
  }
  if (parsedOptions === null || typeof parsedOptions !== 'object' || Array.isArray(parsedOptions))
    throw new UsageError('--format-options must be a JSON object');
  return asUsage(() => createParser(format, parsedOptions as object));
}

/** What a ship run needs from its command line, checked before anything is read or sent. */
async function shipOptions(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options });
  if (!logTypeNames.includes(values.type as LogType))
    throw new UsageError(`--type must be one of ${logTypeNames.join(', ')}`);
  const type = values.type as LogType;
  const parser = parserOf(values.format, values['format-options']);
  const streams = streamsOf(type, values.stream ?? [], values.stage);
  // A name that states the other type is refused at once; where a stream
  // delivers (checked before reading) decides for every other name.
  for (const stream of streams) {
    const misfit = logTypeOfStream(stream) && recordMisfitsStream(type, stream);
    if (misfit) throw new UsageError(misfit);
  }
  if (positionals.length > 1) throw new UsageError('at most one FILE');
  const file = positionals[0] === '-' ? undefined : positionals[0];
  const source = values['source-id'] ?? (file === undefined ? runSource() : await fileSource(file));
  const base = file ?? `ship-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return {
    type,
    format: values.format ?? 'json',
    parser,
    streams,
    stage: values.stage,
    file,
    source,
    rejects: new LazyFile(values.rejects ?? `${base}.rejects.ndjson`),
    deadLetters: new LazyFile(values['dead-letter'] ?? `${base}.dead.ndjson`),
    redactRejects: values['redact-rejects'],
    rejectRetentionDays:
      values['reject-retention'] === undefined
        ? undefined
        : positiveInt('reject-retention', values['reject-retention'], 0),
    concurrency: positiveInt('concurrency', values.concurrency, 4),
    maxDelayMs: positiveInt('max-delay-ms', values['max-delay-ms'], 1000),
    quiet: values.quiet,
  };
}
type ShipOptions = Awaited<ReturnType<typeof shipOptions>>;

/** A progress line on stderr at most every 200 ms, only on a terminal. */
function progressDrawer(quiet: boolean, startedAt: number) {
  const show = process.stderr.isTTY && !quiet;
  let lastDraw = 0;
  return {
    show,
    draw(stats: ShipperStats, force = false) {
      if (!show || (!force && Date.now() - lastDraw < 200)) return;
      lastDraw = Date.now();
      process.stderr.write(`\r\x1b[2K${progressLine(stats, startedAt)}`);
    },
  };
}

/**
 * Refuses, before a line is read, a stream that delivers into another log
 * type's bucket (or one logvault did not name): its name proves nothing.
 * A refusal is exit 2, nothing sent; a denied or failed call exit 3.
 */
async function checkDestinations(o: ShipOptions, client: FirehoseClient): Promise<void> {
  try {
    await checkStreamDestinations(client, o.type, o.streams, o.stage);
  } catch (error) {
    if (error instanceof StreamDestinationError && error.kind === 'misfit')
      throw new UsageError(error.message);
    throw error;
  }
}

function shipperFor(
  o: ShipOptions,
  client: FirehoseClient,
  draw: (stats: ShipperStats) => void,
  deadLetterErrors: Map<string, number>,
) {
  return new Shipper({
    client,
    type: o.type,
    parser: o.parser,
    streams: o.streams,
    source: o.source,
    concurrency: o.concurrency,
    maxDelayMs: o.maxDelayMs,
    onProgress: (stats) => draw(stats),
    sinks: {
      reject: (r) => o.rejects.write(rejectEntry(r, o.redactRejects)),
      deadLetter: async (lines, _lineNos, error) => {
        deadLetterErrors.set(error, (deadLetterErrors.get(error) ?? 0) + 1);
        await o.deadLetters.write(lines);
      },
    },
  });
}

/**
 * Deletes expired reject and dead-letter files (by name ending, this user's
 * regular files only, never following links) next to this run's two files;
 * returns how many.
 */
async function removeExpiredProducerFiles(o: ShipOptions): Promise<number> {
  if (o.rejectRetentionDays === undefined) return 0;
  const now = Date.now();
  let removed = 0;
  for (const dir of new Set([dirname(o.rejects.path), dirname(o.deadLetters.path)])) {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile() || info.uid !== process.getuid?.()) continue;
      if (!isExpiredProducerFile(name, info.mtimeMs, now, o.rejectRetentionDays)) continue;
      await unlink(path);
      removed++;
    }
  }
  return removed;
}

/**
 * Feeds every input line to the shipper. SIGTERM/SIGINT stop the reading (what
 * is held is still sent); a second signal exits at once.
 */
async function readAll(o: ShipOptions, shipper: Shipper, draw: (stats: ShipperStats) => void) {
  const input = o.file === undefined ? process.stdin : createReadStream(o.file);
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    interrupted = signal;
    input.destroy();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let readError: Error | undefined;
  try {
    for await (const line of splitLines(input, MAX_INPUT_LINE_BYTES)) {
      await shipper.write(line);
      draw(shipper.stats);
    }
  } catch (error) {
    // Destroying the input on a signal ends the read early; anything else is a real failure.
    if (!interrupted) readError = error as Error;
  }
  return {
    interrupted,
    readError,
    stopListening: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

export const shipCommand: Command = {
  usage,
  async run(argv) {
    const o = await shipOptions(argv);
    // The shipper retries failed entries itself; SDK retries would resend whole batches.
    const client = new FirehoseClient({ maxAttempts: 1 });
    await checkDestinations(o, client);
    const expiredFilesRemoved = await removeExpiredProducerFiles(o);
    const startedAt = Date.now();
    const progress = progressDrawer(o.quiet, startedAt);
    const deadLetterErrors = new Map<string, number>();
    const shipper = shipperFor(o, client, (stats) => progress.draw(stats), deadLetterErrors);
    const read = await readAll(o, shipper, (stats) => progress.draw(stats));
    let stats: ShipperStats;
    try {
      stats = await shipper.close();
    } finally {
      read.stopListening();
      await o.rejects.close();
      await o.deadLetters.close();
    }
    progress.draw(stats, true);
    if (progress.show) process.stderr.write('\n');
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(
      JSON.stringify(
        {
          type: o.type,
          format: o.format,
          streams: o.streams,
          input: o.file ? basename(o.file) : 'stdin',
          ...stats,
          billedRatio:
            stats.bytes > 0 ? Number((stats.billedBytes / stats.bytes).toFixed(4)) : null,
          seconds: Number(seconds.toFixed(3)),
          linesPerSecond: Math.round(stats.delivered / Math.max(seconds, 0.001)),
          rejectsFile: o.rejects.written ? o.rejects.path : null,
          deadLetterFile: o.deadLetters.written ? o.deadLetters.path : null,
          deadLetterErrors: Object.fromEntries(deadLetterErrors),
          expiredFilesRemoved,
          interrupted: read.interrupted ?? null,
          readError: read.readError?.message ?? null,
        },
        null,
        2,
      ),
    );
    if (stats.deadLettered > 0 || read.readError) return ExitCode.failure;
    if (stats.rejected > 0) return ExitCode.findings;
    return ExitCode.ok;
  },
};
