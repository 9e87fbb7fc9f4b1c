import { parseArgs } from 'node:util';
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
} from '../../core/time/days';
import { renderTable } from '../../core/format/table';
import { Command, ExitCode, UsageError, asUsage, stageOption, textOptions } from '../command';
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
  const check = (day: string) => {
    asUsage(() => parseDay(day));
    return day;
  };
  let days: string[];
  if (values.from !== undefined) {
    const [from, to] = [check(values.from), check(values.to!)];
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    days = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  } else if (values.today) days = [formatDay(now)];
  else days = [check(values.day ?? addDays(formatDay(now), -1))];
  // Refuse the whole request up front rather than fail half-way through it.
  const outside = days.flatMap((day) => {
    try {
      assertInRawWindow(day, now, rawLogExpiryDays, { partialToday: values.today });
      return [];
    } catch (error) {
      if (error instanceof OutsideRawWindowError) return [error.message];
      throw error;
    }
  });
  if (outside.length > 0) throw new UsageError(outside.join('\n'));
  return days;
}

export const aggregateCommand: Command = {
  name: 'aggregate',
  summary: 'materialise (or backfill) daily per-certificate aggregates; publish final days once',
  usage,
  async run(argv) {
    const { values } = parseArgs({
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
      renderTable(['DAY', 'FINAL', 'CERTIFICATES', 'REQUESTS', 'PUBLICATION', 'AFTER FINAL'], rows),
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
    return [day, 'yes', ...counts, r.publication.status, String(r.recordsAfterFinal)];
  }
  const r = await aggregateDay(day, deps, {
    ...target,
    partialToday: today,
    latenessHours: lateness,
  });
  const finalAt = dayWindow(day, lateness).finalAt.toISOString();
  return [day, 'no', String(r.certificates), String(r.requests), `not before ${finalAt}`, '-'];
}
