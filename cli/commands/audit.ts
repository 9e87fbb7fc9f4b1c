import { derivedPlaceRows } from '../../core/audit/derived-places';
import { parseArgs } from 'node:util';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { auditStage } from '../../core/audit/stage-audit';
import { AuditReport, renderAudit } from '../../core/audit/report';
import { Command, ExitCode, UsageError, stageOption, textOptions } from '../command';
import { readLiveTemplates } from '../../core/audit/live/templates';
import { auditCasesAgainstRegistry, auditHoldsAgainstRegistry } from '../../core/audit/case-check';
import { HoldRegistry } from '../../core/holds/registry';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { promisesOf } from '../../core/audit/promises';
import { stageRegion } from '../../core/config/stage-region';
import { synthesizeStage } from '../../lib/synth';
import { awsPlacement, bucketName, registryTableName } from '../../core/naming';

const usage = `usage: logvault audit (--template | --live) [--stage NAME] [--account ID] [--region R] [--json]

  --template   audit the synthesized stack of the stage (offline, no credentials)
  --live       audit the deployed stage with read-only calls (buckets, bucket policies,
               log groups, Athena workgroup, open cases vs extracts, legal holds vs
               registry); IAM is judged
               on the template
  --stage      stage name (default dev)
  --account    account id for --live (default: the caller's, from STS)
  --json       print rows as JSON

Exit codes: 0 every promise PASS, 1 any FAIL, 2 bad usage, 3 AWS failure.`;

/** S3 and registry reads in flight at once while the live audit checks legal-hold flags. */
const LIVE_AUDIT_CONCURRENCY = 16;

/** Runs the audit and returns its rows; shared by the command and the local scenario. */
export async function runAudit(options: {
  mode: 'template' | 'live';
  stage: string;
  account?: string;
  region?: string;
}): Promise<AuditReport> {
  const { config, templates } = synthesizeStage(options.stage);
  const promises = promisesOf(config);
  // Derived places (registry, audit trail, logs, query history, ...) are judged on the
  // synthesized templates and SQL in both modes: they are what the deployed code does.
  const derived = derivedPlaceRows(templates);
  if (options.mode === 'template')
    return {
      mode: 'template',
      stage: options.stage,
      rows: [...auditStage(templates, promises), ...derived],
    };
  const region = stageRegion(config, { flag: options.region, env: process.env });
  const account =
    options.account ??
    config.account ??
    (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
  const clients = {
    s3: new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined }),
    logs: new CloudWatchLogsClient({ region }),
    athena: new AthenaClient({ region }),
  };
  const live = await readLiveTemplates(templates, clients, { accountId: account, region });
  const rows = [...auditStage(live.templates, promises), ...derived];
  const at = awsPlacement(account, region);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region }));
  const investigations = bucketName(options.stage, 'investigations', at);
  rows.push(
    await auditCasesAgainstRegistry(clients.s3, db, {
      investigationsBucket: investigations,
      registryTable: registryTableName(options.stage, at),
    }),
    await auditHoldsAgainstRegistry({
      s3: clients.s3,
      registry: new HoldRegistry(db, registryTableName(options.stage, at)),
      buckets: { archive: bucketName(options.stage, 'subscriber-archive', at), investigations },
      concurrency: LIVE_AUDIT_CONCURRENCY,
    }),
  );
  if (live.missing.length > 0)
    rows.push({
      promise: 'Everything the stage declares is deployed',
      mechanism: 'read-only describe calls',
      evidence: live.missing.join('; '),
      verdict: 'FAIL',
    });
  return { mode: 'live', stage: options.stage, rows };
}

export const auditCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        template: { type: 'boolean' },
        live: { type: 'boolean' },
        ...stageOption,
        ...textOptions('account', 'region'),
        json: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.template === values.live)
      throw new UsageError('choose exactly one of --template and --live');
    const report = await runAudit({
      mode: values.live ? 'live' : 'template',
      stage: values.stage!,
      account: values.account,
      region: values.region,
    });
    console.log(values.json ? JSON.stringify(report, null, 2) : renderAudit(report));
    return report.rows.some((r) => r.verdict === 'FAIL') ? ExitCode.findings : ExitCode.ok;
  },
};
