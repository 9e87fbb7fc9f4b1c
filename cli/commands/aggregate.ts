import { S3Client } from '@aws-sdk/client-s3';
import { aggregateDay } from '../../core/analytics/daily-aggregation';
import { DailyJobDeps, DailyJobTarget, finaliseDay } from '../../core/analytics/daily-job';
import { dayWindow, isFinal } from '../../core/time/finality';
import {
  OutsideRawWindowError,
  addDays,
  assertInRawWindow,
  formatDay,
  parseDay,
  rawWindow,
} from '../../core/time/days';
import { renderTable } from '../../core/format/table';
import { quoted } from '../../core/format/printable';
import {
  Command,
  ExitCode,
  UsageError,
  parseCommandLine,
  stageOption,
  textOptions,
} from '../command';
import { stageAnalytics } from './stage-analytics';

const usage = `usage: logvault aggregate [--day YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD | --today]
                          [--stage NAME] [--bucket NAME]

Materialises each day's exact per-certificate OCSP aggregates into
ocsp_cert_daily. A day that is final (docs/analytics.md: D+2 00:15 UTC) is
also published, once: its bounded, noisy counts go under publish/ and are
never replaced (docs/publication.md); a day already published is left as it
is. A day not final yet, --today included, is aggregated provisionally and
never published; the run that finalises it replaces the aggregate. The
scheduled job does this every day; use this command to backfill a missed day
while its raw logs exist.

  --day        one day (default: yesterday, UTC)
  --from, --to an inclusive range of days (backfill)
  --today      today so far (provisional, never published)
  --stage      stage whose settings apply (default dev)
  --bucket     aggregates bucket (default: logvault-<stage>-<account>-<region>-aggregates)

Engine from the environment as for \`logvault query\` (LOGVAULT_QUERY_ENGINE,
TRINO_URL, ATHENA_WORKGROUP; the database defaults to logvault_<stage>, the
workgroup to the jobs workgroup logvault-<stage>-jobs: its CTAS writes the
aggregates bucket, which the analysts' enforced workgroup refuses).

Exit codes: 0 ok, 1 a publication was refused (the day's object was deleted
or replaced), 2 bad usage or a day outside the raw window, 3 a query or AWS
call failed.`;

/** The days a command line asks for, each checked against the raw window; exported for tests. */
export function requestedDays(
  values: { day?: string; from?: string; to?: string; today?: boolean },
  rawLogExpiryDays: number,
  now = new Date(),
): string[] {
  const choices = [
    values.day !== undefined,
    values.from !== undefined || values.to !== undefined,
    values.today === true,
  ];
  if (choices.filter(Boolean).length > 1)
    throw new UsageError('give one of --day, --from/--to and --today');
  if ((values.from === undefined) !== (values.to === undefined))
    throw new UsageError('--from and --to go together');
  const check = (flag: string, day: string) => {
    try {
      parseDay(day);
    } catch {
      throw new UsageError(`${flag} ${quoted(day)} is not a UTC day YYYY-MM-DD`);
    }
    return day;
  };
  if (values.from !== undefined) {
    const [from, to] = [check('--from', values.from), check('--to', values.to!)];
    if (from > to)
      throw new UsageError(`--from ${from} is after --to ${to}; give the earlier day first`);
    // Check the ends before listing the days: a range to 9999-12-31 or from 2000 is one mistake.
    const { first, last } = rawWindow(now, rawLogExpiryDays);
    const window =
      `only ${first} to ${last} can be aggregated ` +
      `(raw logs expire after ${rawLogExpiryDays} days; today is still being written: use --today)`;
    if (from < first) throw new UsageError(`--from ${from} is before ${first}: ${window}`);
    if (to > last) throw new UsageError(`--to ${to} is after ${last}: ${window}`);
    const days: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
    return days;
  }
  const day = values.today
    ? formatDay(now)
    : check('--day', values.day ?? addDays(formatDay(now), -1));
  try {
    assertInRawWindow(day, now, rawLogExpiryDays, { partialToday: values.today });
  } catch (error) {
    if (error instanceof OutsideRawWindowError) throw new UsageError(error.message);
    throw error;
  }
  return [day];
}

export const aggregateCommand: Command = {
  name: 'aggregate',
  summary: 'materialise (or backfill) daily per-certificate aggregates; publish final days once',
  usage,
  async run(argv) {
    const { values } = parseCommandLine({
      args: argv,
      options: {
        ...textOptions('day', 'from', 'to', 'bucket'),
        ...stageOption,
        today: { type: 'boolean' },
      },
    });
    const stage = stageAnalytics(values.stage!, process.env, 'jobs');
    const rawLogExpiryDays = stage.config.ocsp.rawLogExpiryDays;
    const days = requestedDays(values, rawLogExpiryDays);
    const bucket = values.bucket ?? (await stage.bucket('aggregates'));
    const s3 = new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
    const target = {
      aggregatesBucket: bucket,
      rawLogExpiryDays,
      parameters: stage.config.analytics.publication,
    };
    const rows: string[][] = [];
    let refused = false;
    for (const day of days) {
      process.stderr.write(`aggregating ${day} on ${stage.runner.engine}...\n`);
      const deps = { runner: stage.runner, s3, now: new Date() };
      const row = await aggregateOrFinalise(day, deps, target, values.today === true);
      refused ||= row[4] === 'refused';
      rows.push(row);
    }
    console.log(
      renderTable(
        [
          'DAY',
          'FINAL',
          'CERTIFICATES',
          'REQUESTS',
          'PUBLICATION',
          'AFTER FINAL',
          'NO CERTIFICATE',
        ],
        rows,
      ),
    );
    return refused ? ExitCode.findings : ExitCode.ok;
  },
};

/** A final day is finalised (and published once); any other day only aggregated. */
async function aggregateOrFinalise(
  day: string,
  deps: DailyJobDeps,
  target: DailyJobTarget,
  today: boolean,
): Promise<string[]> {
  const lateness = target.parameters.latenessHours;
  if (!today && isFinal(day, deps.now, lateness)) {
    const r = await finaliseDay(day, deps, target);
    const counts = [String(r.aggregate.certificates), String(r.aggregate.requests)];
    const unattributed = String(r.aggregate.recordsWithoutCertificate);
    return [day, 'yes', ...counts, r.publication.status, String(r.recordsAfterFinal), unattributed];
  }
  const r = await aggregateDay(day, deps, {
    ...target,
    partialToday: today,
    latenessHours: lateness,
  });
  const finalAt = dayWindow(day, lateness).finalAt.toISOString();
  const counts = [String(r.certificates), String(r.requests)];
  return [day, 'no', ...counts, `not before ${finalAt}`, '-', String(r.recordsWithoutCertificate)];
}
