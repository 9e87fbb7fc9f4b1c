import type { Placement } from './placement';

/**
 * Every physical name of a stage that is not a bucket (buckets.ts) or an
 * ARN (arns.ts). Fixed names let one part of logvault find another (the CLI
 * a function, a bucket policy a role) without a cross-stack reference.
 */

/** The Lambda handlers; each lives in `lambdas/<name>/index.ts`. */
export const functionNames = [
  'seal',
  'seal-reconciler',
  'seal-digest',
  'hold-apply',
  'hold-release',
  'hold-status',
  'aggregate-daily',
  'retention-monitor',
  'ingest-transform',
] as const;
export type FunctionName = (typeof functionNames)[number];

const stagePrefix = (stage: string) => `logvault-${stage}`;
/** What every physical name of a stage starts with (a check that a found resource is the stage's). */
export const stageNamePrefix = (stage: string) => `${stagePrefix(stage)}-`;

export const stackName = (stage: string, half: 'Data' | 'Compute') => `Logvault-${stage}-${half}`;

export const functionName = (stage: string, fn: FunctionName) => `${stagePrefix(stage)}-${fn}`;

/** The Powertools service name of a handler (logs and metrics). */
export const serviceName = (fn: FunctionName) => `logvault-${fn}`;

/** The Firehose stream `index` (from 1) of a log type. */
export const deliveryStreamName = (stage: string, logType: string, index: number) =>
  `${stagePrefix(stage)}-${logType}-${index}`;

/**
 * The managed policy a producer of a log type attaches to its role: put
 * records into, and describe, that type's streams only (docs/ingestion.md,
 * "Producer permissions").
 */
export const producerPolicyName = (stage: string, logType: string) =>
  `${stagePrefix(stage)}-${logType}-producer`;

/**
 * The log type a stream named by `deliveryStreamName` holds (the word before
 * its index), or undefined for a name of another shape.
 */
export function logTypeOfDeliveryStream(name: string): string | undefined {
  return /^logvault-.+-([a-z]+)-\d+$/.exec(name)?.[1];
}

/**
 * The log type of one of `stage`'s own streams (`deliveryStreamName(stage, type, n)`),
 * or undefined for any other name, another stage's included.
 */
export function logTypeOfStageStream(stage: string, name: string): string | undefined {
  const type = logTypeOfDeliveryStream(name);
  const index = Number(/-(\d+)$/.exec(name)?.[1]);
  return type !== undefined && deliveryStreamName(stage, type, index) === name ? type : undefined;
}

/**
 * The role in the witness account that the digest function assumes to copy
 * anchors into the witness bucket (docs/trust.md, "Publication").
 */
export const witnessRoleName = (stage: string) => `${stagePrefix(stage)}-anchor-witness`;

/** The Glue database; Glue and Athena want `_` where stage names have `-`. */
export const databaseName = (stage: string) => `logvault_${stage.replace(/-/g, '_')}`;

/** The analysts' Athena workgroup: enforced configuration, a bytes-scanned cutoff. */
export const workGroupName = (stage: string) => stagePrefix(stage);

/** Ends the name of every jobs workgroup; no stage name may end with it (core/config). */
export const JOBS_WORKGROUP_SUFFIX = '-jobs';

/** The Athena workgroup only the job roles use (daily aggregation, OCSP extracts). */
export const jobsWorkGroupName = (stage: string) => `${stagePrefix(stage)}${JOBS_WORKGROUP_SUFFIX}`;

/** Glue tables over the stage's buckets. */
export const glueTables = {
  ocspRequests: 'ocsp_requests',
  acmeEvents: 'acme_events',
  ocspCertDaily: 'ocsp_cert_daily',
  publishedOcspCertDaily: 'published_ocsp_cert_daily',
  ocspCertRankDaily: 'ocsp_cert_rank_daily',
} as const;

/** CTAS staging tables of the daily job start with this; its IAM policy is scoped to it. */
export const STAGING_TABLE_PREFIX = 'ocsp_cert_daily_job_';
export const stagingTableName = (step: string, day: string) =>
  `${STAGING_TABLE_PREFIX}${step}_${day.replace(/-/g, '')}`;

/** The table a case's OCSP extract is written through (dropped right after; the data stays). */
export const EXTRACT_TABLE_PREFIX = 'hold_extract_';
export const extractTableName = (caseId: string) =>
  `${EXTRACT_TABLE_PREFIX}${caseId.toLowerCase().replace(/-/g, '_')}`;

/**
 * The table a case's filter values are read through while its extract (or
 * dry-run count) runs (core/query/identifier-table.ts). It shares the
 * extract prefix, so the apply role's scratch-table grant covers it; the
 * double underscore cannot come from a case id (ids never start with a
 * hyphen), so it never names another case's extract.
 */
export const filterTableName = (caseId: string, run: 'apply' | 'dry-run') =>
  `${EXTRACT_TABLE_PREFIX}_${run === 'apply' ? 'f' : 'd'}_${caseId.toLowerCase().replace(/-/g, '_')}`;

/** The table one personal-data report reads its subject through; `runId` is lowercase hex. */
export const SUBJECT_TABLE_PREFIX = 'personal_data_subject_';
export const subjectTableName = (runId: string) => `${SUBJECT_TABLE_PREFIX}${runId}`;

/** The hold registry and its audit trail; named with the account, like the buckets. */
export const registryTableName = (stage: string, at: Pick<Placement, 'account'>) =>
  `${stagePrefix(stage)}-${at.account}-holds`;
export const auditTableName = (stage: string, at: Pick<Placement, 'account'>) =>
  `${stagePrefix(stage)}-${at.account}-hold-audit`;

/** Indexes of the hold registry (core/holds/registry.ts). */
export const registryIndexes = { byCase: 'byCase', cases: 'cases' } as const;

/** Roles other resources name without a reference: the hold functions', S3 Batch's, on-call's. */
export function holdRoleNames(stage: string) {
  return {
    apply: functionName(stage, 'hold-apply'),
    release: functionName(stage, 'hold-release'),
    status: functionName(stage, 'hold-status'),
    /** S3 Batch Operations assumes it to set legal holds on large scopes. */
    batch: `${stagePrefix(stage)}-hold-batch`,
    onCall: `${stagePrefix(stage)}-oncall-holds`,
  };
}

/**
 * The sealing functions' roles, named so the archive's bucket policy can let
 * them set legal holds (standing holds, core/holds/standing.ts) without a
 * reference from the data stack to the compute stack.
 */
export function sealRoleNames(stage: string) {
  return {
    seal: functionName(stage, 'seal'),
    reconciler: functionName(stage, 'seal-reconciler'),
  };
}

/** Every log group of a stage lives under this prefix, which the storage key lets Logs use. */
export const logGroupPrefix = (stage: string) => `/logvault/${stage}/`;
export const lambdaLogGroupName = (stage: string, fn: FunctionName) =>
  `${logGroupPrefix(stage)}lambda/${fn}`;
/** The stage's Step Functions state machines (lib/analytics/daily-workflow.ts). */
export const stateMachineNames = ['daily-job'] as const;
export type StateMachineName = (typeof stateMachineNames)[number];
export const stateMachineName = (stage: string, machine: StateMachineName) =>
  `${stagePrefix(stage)}-${machine}`;
/**
 * The n-th execution `logvault aggregate` starts for one day of one kind
 * (final, provisional, today): the same request gets the same name, so Step
 * Functions returns the running execution instead of starting a second one.
 */
export const dailyJobExecutionName = (day: string, kind: string, attempt: number) =>
  `aggregate-${day}-${kind}-${attempt}`;
/** Execution logs of a state machine; under the stage's prefix, which the storage key admits. */
export const stateMachineLogGroupName = (stage: string, machine: StateMachineName) =>
  `${logGroupPrefix(stage)}states/${machine}`;
/** CDK's bucket-emptying handler of a non-production data stack (runs on stack deletion). */
export const bucketEmptyingLogGroupName = (stage: string) =>
  `${logGroupPrefix(stage)}lambda/empty-buckets`;
export const firehoseLogGroupName = (stage: string, logType: string) =>
  `${logGroupPrefix(stage)}firehose/${logType}`;
/** The log stream every delivery stream of a log type writes its S3 delivery errors to. */
export const FIREHOSE_ERROR_LOG_STREAM = 'S3Delivery';

export const storageKeyAlias = (stage: string) => `alias/${stagePrefix(stage)}-storage`;
/** `logvault verify` fetches the public key through this alias. */
export const digestSigningKeyAlias = (stage: string) =>
  `alias/${stagePrefix(stage)}-digest-signing`;

/**
 * SSM parameters through which the data stack hands its keys' ARNs to the
 * compute stack: read by CloudFormation at each compute deploy, so no export
 * pins the keys (a key has no name to rebuild its ARN from).
 */
export const keyArnParameterName = (stage: string, key: 'storage' | 'digest-signing') =>
  `/${stagePrefix(stage)}/${key}-key-arn`;

export const alarmTopicName = (stage: string) => `${stagePrefix(stage)}-alarms`;
export const dashboardName = (stage: string) => stagePrefix(stage);
/** Every alarm is named `logvault-<stage> <what it says>`. */
export const alarmName = (stage: string, what: string) => `${stagePrefix(stage)} ${what}`;

/** `logvault smoke`: the canary alarm, on the stage's topic like every alarm of the stage. */
export const smokeAlarmName = (stage: string, runId: string) =>
  alarmName(stage, `smoke canary ${runId}`);
/** `logvault smoke`: the temporary queue subscribed to the alarm topic (SQS: 80 characters). */
export const smokeQueueName = (stage: string, runId: string) =>
  `${stagePrefix(stage)}-smoke-${runId}`;
/** `logvault smoke`: the canary alarm's metric, which nothing emits (its state is set by hand). */
export const SMOKE_CANARY_METRIC = 'SmokeCanary';
/** `logvault smoke`: the canary legal-hold case (case ids are upper-cased). */
export const smokeCaseId = (runId: string) => `SMOKE-${runId.toUpperCase()}`;
