import { writeFileSync } from 'node:fs';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { stageRegion } from '../../core/config/stage-region';
import { databaseName } from '../../core/naming';
import { addDays, formatDay, parseDay } from '../../core/time/days';
import { personalDataReport, personalDataSubject } from '../../core/analytics/personal-data';
import {
  Command,
  ExitCode,
  UsageError,
  asUsage,
  parseCommandLine,
  stageOption,
  textOptions,
} from '../command';
import { stageAnalytics } from './stage-analytics';
import { redactAddresses } from '../../core/holds/identifiers';

/**
 * A refusal of the subject, naming the option and what it takes (zod says
 * only "Invalid input"), never the value: it identifies someone, and stderr
 * ends up in terminal logs (issue 17).
 */
function subjectProblem(issue: { path: PropertyKey[]; message: string }): string {
  if (issue.path[0] === 'ip')
    return '--ip: not an IPv4 or IPv6 address (e.g. 192.0.2.1, 2001:db8::1)';
  if (issue.path[0] === 'accountId')
    return `--account: ${redactAddresses(issue.message)} (1 to 128 characters)`;
  return redactAddresses(issue.message);
}

const usage = `usage: logvault report personal-data (--account ID | --ip IP | both)
                       [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--stage NAME] [--out FILE]
                       [--bucket NAME]

Builds the personal-data report of a data-subject access request: every
archived ACME record of the account, or where the IP made the request or was
an address the requested names resolved to, as one JSON document
(format: docs/runbooks/personal-data-report.md).

  --account  ACME account id
  --ip       IPv4 or IPv6 address, or a network (CIDR), any spelling
  --from     first day searched (default: the archive's whole projected range)
  --to       last day searched (default: today, UTC)
  --stage    stage whose settings apply (default dev)
  --out      write the JSON here instead of stdout
  --bucket   bucket the subject is written to while the query runs
             (default: the stage's query-results bucket)

Engine from the environment as for \`logvault query\`. The account id and IP
never enter the SQL text (Athena keeps it 45 days): they are written to a
table of their own under report-subjects/ in the query-results bucket and
removed when the query ends.

Exit codes: 0 ok, 2 bad usage (no subject, a bad --ip, --from after --to),
3 the query failed.`;

export const reportCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandLine({
      args: argv,
      allowPositionals: true,
      options: { ...textOptions('account', 'ip', 'from', 'to', 'out', 'bucket'), ...stageOption },
    });
    if (positionals.length !== 1 || positionals[0] !== 'personal-data')
      throw new UsageError('the one report is "personal-data"');
    const subject = personalDataSubject.safeParse({ accountId: values.account, ip: values.ip });
    if (!subject.success) throw new UsageError(subject.error.issues.map(subjectProblem).join('; '));
    const stage = stageAnalytics(values.stage!);
    const today = formatDay(new Date());
    const period = {
      from: values.from ?? addDays(today, -stage.config.analytics.acmeProjectionDays),
      to: values.to ?? today,
    };
    for (const day of [period.from, period.to]) asUsage(() => parseDay(day));
    if (period.from > period.to)
      throw new UsageError(
        `--from ${period.from} is after --to ${period.to}; give the earlier day first`,
      );
    process.stderr.write(
      `searching acme_events ${period.from} to ${period.to} on ${stage.runner.engine}...\n`,
    );
    const region = stageRegion(stage.config, { env: process.env });
    const store = {
      glue: new GlueClient({ region }),
      s3: new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined }),
      bucket: values.bucket ?? (await stage.bucket('query-results')),
      database: process.env.LOGVAULT_GLUE_DATABASE || databaseName(values.stage!),
    };
    const report = await personalDataReport(stage.runner, store, subject.data, period);
    const json = JSON.stringify(report, null, 2) + '\n';
    if (values.out) writeFileSync(values.out, json, { mode: 0o600 });
    else process.stdout.write(json);
    process.stderr.write(
      `${report.recordCount} records${values.out ? `, written to ${values.out}` : ''}\n`,
    );
    return ExitCode.ok;
  },
};
