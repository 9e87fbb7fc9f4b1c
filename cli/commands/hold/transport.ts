import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadStageConfig } from '../../../core/config/load-stage-config';
import {
  applyEventSchema,
  parseOrReject,
  releaseEventSchema,
  statusEventSchema,
} from '../../../core/holds/case';
import { holdDepsFrom } from '../../../core/holds/deps-from-env';
import { HoldResponse, answer } from '../../../core/holds/response';
import { type HoldDeps, applyHold, holdStatus, releaseHold } from '../../../core/holds';
import { holdApplyEnvironment } from '../../../core/env/holds';
import { parseEnvironment } from '../../../core/env/parse';
import type { z } from 'zod';
import {
  BucketPurpose,
  arns,
  auditTableName,
  awsPlacement,
  bucketName,
  databaseName,
  functionName,
  holdRoleNames,
  registryTableName,
  serviceName,
  jobsWorkGroupName,
  storageKeyAlias,
} from '../../../core/naming';

export type HoldOp = 'apply' | 'release' | 'status';

/** Where a hold request runs: the deployed function, or the same code in-process. */
export type Transport = (op: HoldOp, event: unknown) => Promise<HoldResponse<unknown>>;

/** Invokes `logvault-<stage>-hold-<op>`; a function error becomes an exception with its message. */
export function lambdaTransport(stage: string, region: string): Transport {
  const lambda = new LambdaClient({ region });
  return async (op, event) => {
    const name = functionName(stage, `hold-${op}`);
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }),
    );
    const payload = JSON.parse(Buffer.from(result.Payload ?? []).toString() || 'null');
    if (result.FunctionError)
      throw new Error(
        `${name} failed (${payload?.errorType ?? result.FunctionError}): ${payload?.errorMessage}`,
      );
    return payload as HoldResponse<unknown>;
  };
}

type HoldVariables = Omit<z.input<typeof holdApplyEnvironment>, 'POWERTOOLS_SERVICE_NAME'>;

/**
 * The environment contract of hold-apply and hold-release (core/env/holds.ts),
 * filled with the names the template loader gives the data stack's resources
 * on the stand-ins, and Trino in place of Athena. Shared by --local and the
 * Lambda stand-in test.
 */
export function standInHoldEnvironment(
  stage: string,
  region: string,
  account: string,
): Record<keyof HoldVariables, string> {
  const config = loadStageConfig(stage);
  const at = awsPlacement(account, region);
  const bucket = (purpose: BucketPurpose) => bucketName(stage, purpose, at);
  return {
    LOGVAULT_STAGE: stage,
    HOLD_REGISTRY_TABLE: registryTableName(stage, at),
    HOLD_AUDIT_TABLE: auditTableName(stage, at),
    ARCHIVE_BUCKET: bucket('subscriber-archive'),
    INVESTIGATIONS_BUCKET: bucket('investigations'),
    HOLD_CASE_KEY_ID: storageKeyAlias(stage),
    HOLD_CONCURRENCY: String(config.holds.concurrency),
    // Overridable locally, to take the S3 Batch Operations path on a small archive.
    HOLD_LARGE_SCOPE_THRESHOLD:
      process.env.HOLD_LARGE_SCOPE_THRESHOLD ?? String(config.holds.largeScopeThreshold),
    HOLD_BATCH_ROLE_ARN: arns.role(at, holdRoleNames(stage).batch),
    OCSP_RAW_EXPIRY_DAYS: String(config.ocsp.rawLogExpiryDays),
    LOGVAULT_QUERY_ENGINE: process.env.LOGVAULT_QUERY_ENGINE ?? 'trino',
    LOGVAULT_GLUE_DATABASE: process.env.LOGVAULT_GLUE_DATABASE ?? databaseName(stage),
    ATHENA_WORKGROUP: jobsWorkGroupName(stage),
  };
}

/**
 * Hold deps in-process for the stage's named resources, with the hold
 * functions' parsed environment: the stand-ins under --local, the account of
 * the caller's credentials otherwise (`hold repair`).
 */
export async function stageHoldDeps(
  stage: string,
  region: string,
  onProgress: (done: number, total: number) => void,
): Promise<HoldDeps> {
  const account =
    process.env.LOGVAULT_ACCOUNT ??
    (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
  const env = parseEnvironment(
    holdApplyEnvironment,
    {
      ...standInHoldEnvironment(stage, region, account),
      POWERTOOLS_SERVICE_NAME: serviceName('hold-apply'),
    },
    'logvault hold --local',
  );
  return {
    ...holdDepsFrom(env, {
      region,
      s3ControlEndpoint: process.env.LOGVAULT_S3_CONTROL_ENDPOINT,
      trinoUrl: process.env.TRINO_URL,
    }),
    onProgress,
  };
}

/** The hold code in-process against the stand-ins, with the functions' parsed environment. */
export async function localTransport(
  stage: string,
  region: string,
  onProgress: (done: number, total: number) => void,
): Promise<Transport> {
  const deps = await stageHoldDeps(stage, region, onProgress);
  return (op, event) =>
    answer(async () => {
      if (op === 'apply') return applyHold(deps, parseOrReject(applyEventSchema, event));
      if (op === 'release') return releaseHold(deps, parseOrReject(releaseEventSchema, event));
      return holdStatus(deps, parseOrReject(statusEventSchema, event));
    });
}
