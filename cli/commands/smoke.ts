import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { stageRegion } from '../../core/config/stage-region';
import { awsPlacement, bucketName } from '../../core/naming';
import { stageLockPolicy } from '../../core/sealing/lock-policy';
import { sealPending } from '../../core/sealing/seal';
import { loadTrust } from '../../core/sealing/verify/trust';
import { newRunId } from '../../core/smoke/canary';
import { CleanupPlan } from '../../core/smoke/cleanup';
import type { SmokeContext, SmokeTarget } from '../../core/smoke/context';
import { renderSmoke } from '../../core/smoke/render';
import { runSmoke } from '../../core/smoke/run';
import { Command, UsageError, parseCommandLine, stageOption, textOptions } from '../command';
import { lambdaTransport, localTransport } from './hold/transport';
import { stageAnalytics } from './stage-analytics';

const usage = `usage: logvault smoke [--stage NAME] [--local] [--json] [--region R] [--account ID]
                      [--wait SECONDS] [--trust-dir DIR] [--tsa-dir DIR]

Proves the promises of a freshly deployed stage with canary data only, then
removes every canary resource it made, also when a check fails: the newest
digest verifies under the published keyring; a canary line through every
delivery stream is found in S3; the ACME canary is sealed with the stage's
lock; every view and the daily job run in the jobs workgroup; a canary legal
hold is applied and released through the hold functions; a canary alarm's
action reaches a temporary queue subscribed to the alarm topic; the retention
monitor's last run succeeded. Canaries carry serial 0, client 192.0.2.1 and
account smoke-canary-<run>; what one leaves behind is in docs/deploy.md §5.

  --stage      stage name (default dev)
  --local      the stand-ins (moto, Trino): functions run in-process, and each
               part they cannot emulate is reported SKIP with its reason
  --json       print the report as JSON (default: a table)
  --region     Region of an unpinned stage (default AWS_REGION)
  --account    account id (default: the stage's, else the caller's from STS)
  --wait       seconds to wait for Firehose, the seal function and SNS
               (default: twice the stage's buffering interval + 120; --local 30)
  --trust-dir  the stage's published keyring (default trust/<stage>)
  --tsa-dir    pinned TSA roots for key transitions (default trust/tsa)

Exit codes: 0 every check PASS or SKIP and nothing left behind, 1 a check
FAILED or a canary resource could not be removed, 2 bad usage or stage
configuration, 3 AWS failure outside the checks.`;

const repositoryTrust = join(__dirname, '../../trust');

const options = {
  ...stageOption,
  local: { type: 'boolean' },
  json: { type: 'boolean' },
  ...textOptions('region', 'account', 'wait', 'trust-dir', 'tsa-dir'),
} as const;

type Values = ReturnType<
  typeof parseCommandLine<{ args: string[]; options: typeof options }>
>['values'];

function waitSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
    throw new UsageError(`--wait ${value}: give whole seconds from 1 to 3600`);
  return seconds;
}

/** The context of one run: clients, names and, on the stand-ins, the functions' code in-process. */
async function smokeContext(values: Values): Promise<SmokeContext> {
  const stage = values.stage!;
  const config = loadStageConfig(stage);
  const target: SmokeTarget = values.local ? 'stand-ins' : 'aws';
  const standIns = target === 'stand-ins';
  const wait = waitSeconds(
    values.wait,
    standIns ? 30 : config.ingestion.buffering.intervalSeconds * 2 + 120,
  );
  const region = standIns
    ? (values.region ?? process.env.AWS_REGION ?? 'us-east-1')
    : stageRegion(config, { flag: values.region, env: process.env });
  const account =
    values.account ??
    config.account ??
    (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
  const at = awsPlacement(account, region);
  const bucket = (purpose: Parameters<typeof bucketName>[1]) => bucketName(stage, purpose, at);
  const s3 = new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined });
  const env = standIns ? { LOGVAULT_QUERY_ENGINE: 'trino', ...process.env } : process.env;
  const trust = await loadTrust({
    s3,
    archiveBucket: bucket('subscriber-archive'),
    stage,
    trustDir: values['trust-dir'] ?? join(repositoryTrust, stage),
    tsaDir: values['tsa-dir'] ?? join(repositoryTrust, 'tsa'),
  }).then(
    (loaded) => ({ keys: loaded.keys }),
    (error: Error) => ({ error: error.message }),
  );
  const sealNow = async () => {
    const lock = stageLockPolicy(config);
    const landingBucket = bucket('subscriber-landing');
    const done = await sealPending({
      s3,
      landingBucket,
      archiveBucket: bucket('subscriber-archive'),
      lock,
    });
    if (done.failures.length > 0) throw new Error(`sealing failed: ${done.failures[0]!.error}`);
  };
  return {
    stage,
    config,
    target,
    runId: newRunId(),
    clients: {
      s3,
      firehose: new FirehoseClient({ region }),
      cloudwatch: new CloudWatchClient({ region }),
      sns: new SNSClient({ region }),
      sqs: new SQSClient({ region }),
    },
    bucket,
    runner: stageAnalytics(stage, env, 'jobs').runner,
    hold: standIns ? await localTransport(stage, region, () => {}) : lambdaTransport(stage, region),
    trust,
    sealNow: standIns ? sealNow : undefined,
    cleanup: new CleanupPlan(),
    waitMs: wait * 1000,
    pollMs: standIns ? 500 : 10_000,
    now: () => new Date(),
    found: { acmeKeys: [] },
  };
}

export const smokeCommand: Command = {
  usage,
  async run(argv) {
    const { values } = parseCommandLine({ args: argv, options });
    const ctx = await smokeContext(values);
    const report = await runSmoke(ctx, undefined, (r) =>
      process.stderr.write(
        `smoke: ${r.check} ${r.status.toUpperCase()} (${r.seconds.toFixed(1)} s)\n`,
      ),
    );
    console.log(values.json ? JSON.stringify(report, null, 2) : renderSmoke(report));
    return report.exitCode;
  },
};
