import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { acmeTraffic, ocspTraffic, TrafficOptions } from '../../core/traffic';
import { Command, ExitCode, UsageError, textOptions } from '../command';
import { DAY_MS } from '../../core/time/units';

const usage = `usage: logvault generate --type ocsp|acme --lines N [--days D] [--seed S] [--end ISO]

Prints N realistic, deterministic log lines as NDJSON (input format of \`logvault ship\`).

  --type    ocsp or acme
  --lines   number of lines
  --days    spread the timestamps over the D days before --end (default 1)
  --seed    PRNG seed; the same seed and options give the same lines (default 1)
  --end     end of the time range, ISO 8601 (default: the current hour, UTC)

Exit codes: 0 ok, 2 bad usage.`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}

/** Parses the command line into traffic options; exported for tests. */
export function generateOptions(argv: string[]): {
  type: 'ocsp' | 'acme';
  options: TrafficOptions;
} {
  const { values } = parseArgs({
    args: argv,
    options: textOptions('type', 'lines', 'days', 'seed', 'end'),
  });
  if (values.type !== 'ocsp' && values.type !== 'acme')
    throw new UsageError('--type must be ocsp or acme');
  if (values.lines === undefined) throw new UsageError('--lines is required');
  const lines = positive('lines', values.lines, 0);
  if (!Number.isInteger(lines)) throw new UsageError('--lines must be an integer');
  const end = values.end === undefined ? new Date() : new Date(values.end);
  if (Number.isNaN(end.getTime())) throw new UsageError('--end must be an ISO 8601 time');
  if (values.end === undefined) end.setUTCMinutes(0, 0, 0);
  const days = positive('days', values.days, 1);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  return {
    type: values.type,
    options: { seed, lines, end, start: new Date(end.getTime() - days * DAY_MS) },
  };
}

export const generateCommand: Command = {
  usage,
  async run(argv) {
    const { type, options } = generateOptions(argv);
    const lines = type === 'ocsp' ? ocspTraffic(options) : acmeTraffic(options);
    for (const line of lines) {
      // Respect the pipe's backpressure instead of buffering all lines in memory.
      if (!process.stdout.write(JSON.stringify(line) + '\n')) await once(process.stdout, 'drain');
    }
    return ExitCode.ok;
  },
};
