import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  AGGREGATE_COLUMNS,
  dayKind,
  resultRows,
} from '../../core/analytics/daily-workflow/execution';
import { WorkflowResult } from '../../core/analytics/daily-workflow/workflow';
import { stateMachineName } from '../../core/naming';
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
import { runDayExecution } from './aggregate-execution';
import { runDayLocally } from './aggregate-locally';
import { StageAnalytics, stageAnalytics } from './stage-analytics';

const usage = `usage: logvault aggregate [--day YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD | --today]
                          [--stage NAME] [--bucket NAME]

Runs the daily job's workflow for each day, as the schedule does: a day that
is final (docs/analytics.md: D+2 00:15 UTC) has its exact per-certificate OCSP
aggregates materialised into ocsp_cert_daily and is published, once: its
bounded, noisy counts go under publish/ and are never replaced
(docs/publication.md); a day already published is left as it is. A day not
final yet, --today included (today so far), is aggregated provisionally and
never published; the run that finalises it replaces the aggregate. Use this
command to backfill a missed day while its raw logs exist. Days run one
after the other; the first that fails stops the command.

On AWS (LOGVAULT_QUERY_ENGINE unset or athena) each day is one execution
of the stage's state machine ${stateMachineName('<stage>', 'daily-job')} with input
{"day": "YYYY-MM-DD"}, named aggregate-<day>-<final|provisional|today>-<n>:
the command waits for it and prints its result. Running the command again
while that execution runs joins it instead of starting another; a day
already finalised by an earlier execution is reported from that execution;
a failed one, or a provisional day, gets the next name and runs again. The
job's own roles do the work; the operator needs only, on that state machine:
  states:StartExecution     arn:aws:states:<region>:<account>:stateMachine:${stateMachineName('<stage>', 'daily-job')}
  states:DescribeExecution, states:GetExecutionHistory
                            arn:aws:states:<region>:<account>:execution:${stateMachineName('<stage>', 'daily-job')}:*
(and sts:GetCallerIdentity unless the stage pins its account).
On the stand-ins (LOGVAULT_QUERY_ENGINE=trino) the same definition runs in
this process, each task the job's own phase.

  --day        one day (default: yesterday, UTC)
  --from, --to an inclusive range of days (backfill)
  --today      today so far (provisional, never published)
  --stage      stage whose settings apply (default dev)
  --bucket     aggregates bucket, stand-ins only
               (default: logvault-<stage>-<account>-<region>-aggregates)

Exit codes: 0 ok, 1 a publication was refused (the day's object was deleted
or replaced), 2 bad usage or a day outside the raw window, 3 an execution
failed (its ARN and the state it failed in are printed) or an AWS call failed.`;

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
    const lateness = stage.config.analytics.publication.latenessHours;
    const days = requestedDays(values, stage.config.ocsp.rawLogExpiryDays);
    const onAws = stage.runner.engine === 'athena';
    if (onAws && values.bucket !== undefined)
      throw new UsageError(
        '--bucket is for the stand-ins only: on AWS the workflow writes its own aggregates bucket',
      );
    const runDay = onAws ? await onStepFunctions(stage) : await inProcess(stage, values.bucket);
    const rows: string[][] = [];
    try {
      for (const day of days) rows.push(...resultRows(await runDay(day), lateness));
    } finally {
      if (rows.length > 0) console.log(renderTable(AGGREGATE_COLUMNS, rows));
    }
    return rows.some((row) => row[4] === 'refused') ? ExitCode.findings : ExitCode.ok;
  },
};

/** Each day one execution of the stage's state machine. */
async function onStepFunctions(stage: StageAnalytics) {
  const placement = await stage.placement();
  const sfn = new SFNClient({ region: placement.region });
  const lateness = stage.config.analytics.publication.latenessHours;
  return (day: string): Promise<WorkflowResult> => {
    const kind = dayKind(day, new Date(), lateness);
    return runDayExecution(day, kind, {
      sfn,
      placement,
      stage: stage.config.stage,
      pollMs: 15_000,
      onStarted: (arn, earlier) =>
        process.stderr.write(`${day} (${kind}): ${earlier ? 'earlier ' : ''}execution ${arn}\n`),
    });
  };
}

/** Each day the workflow's definition run here, on the local engine. */
async function inProcess(stage: StageAnalytics, bucket: string | undefined) {
  const s3 = new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
  const target = {
    aggregatesBucket: bucket ?? (await stage.bucket('aggregates')),
    rawLogExpiryDays: stage.config.ocsp.rawLogExpiryDays,
    parameters: stage.config.analytics.publication,
  };
  return (day: string): Promise<WorkflowResult> => {
    process.stderr.write(`aggregating ${day} on ${stage.runner.engine}...\n`);
    return runDayLocally(day, { runner: stage.runner, s3 }, target);
  };
}
