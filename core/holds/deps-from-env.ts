import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HoldEnvironment, HoldStatusEnvironment } from '../env/holds';
import { parseRoleArn } from '../naming';
import { queryRunnerFromEnv } from '../query/from-env';
import type { HoldDeps } from './deps';
import type { StandingDeps } from './standing';
import { HoldRegistry } from './registry';
import { S3BatchJobs } from './batch-jobs';

/** Connection settings that are not part of the contract: region and stand-in endpoints. */
export interface Connection {
  readonly region?: string;
  /** Set by scripts/standins.sh env: S3 Control puts the account in the host name. */
  readonly s3ControlEndpoint?: string;
  readonly trinoUrl?: string;
}

const connectionOf = (env: NodeJS.ProcessEnv): Connection => ({
  region: env.AWS_REGION,
  s3ControlEndpoint: env.LOGVAULT_S3_CONTROL_ENDPOINT,
  trinoUrl: env.TRINO_URL,
});

/** The registry client for the tables the environment names. */
export function registryFrom(
  env: Pick<HoldStatusEnvironment, 'HOLD_REGISTRY_TABLE'> &
    Partial<Pick<HoldStatusEnvironment, 'HOLD_AUDIT_TABLE'>>,
  connection: Connection = connectionOf(process.env),
): HoldRegistry {
  return new HoldRegistry(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: connection.region }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    env.HOLD_REGISTRY_TABLE,
    env.HOLD_AUDIT_TABLE,
  );
}

/** S3 Batch Operations as the batch role; its ARN names the account and partition jobs run in. */
function batchJobsFrom(env: HoldEnvironment, connection: Connection): S3BatchJobs | undefined {
  if (!env.HOLD_BATCH_ROLE_ARN) return undefined;
  const { partition, account } = parseRoleArn(env.HOLD_BATCH_ROLE_ARN, 'HOLD_BATCH_ROLE_ARN');
  const local = connection.s3ControlEndpoint;
  const client = new S3ControlClient({
    region: connection.region,
    ...(local ? { endpointProvider: () => ({ url: new URL(local) }) } : {}),
  });
  return new S3BatchJobs(client, account, env.HOLD_BATCH_ROLE_ARN, partition);
}

/**
 * Hold dependencies from the parsed contract (core/env/holds.ts) the
 * compute stack sets and the CLI's --local mode builds for the stand-ins.
 * SDK endpoints come from AWS_ENDPOINT_URL.
 */
export function holdDepsFrom(
  env: HoldEnvironment,
  connection: Connection = connectionOf(process.env),
): HoldDeps {
  return {
    s3: new S3Client({
      region: connection.region,
      forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined,
    }),
    registry: registryFrom(env, connection),
    buckets: { archive: env.ARCHIVE_BUCKET, investigations: env.INVESTIGATIONS_BUCKET },
    caseKeys: { kms: new KMSClient({ region: connection.region }), keyId: env.HOLD_CASE_KEY_ID },
    concurrency: env.HOLD_CONCURRENCY,
    largeScopeThreshold: env.HOLD_LARGE_SCOPE_THRESHOLD,
    batch: batchJobsFrom(env, connection),
    ocspRawExpiryDays: env.OCSP_RAW_EXPIRY_DAYS,
    queryRunner: () => queryRunnerFromEnv({ ...env, TRINO_URL: connection.trinoUrl }),
    glueDatabase: env.LOGVAULT_GLUE_DATABASE,
    glue: new GlueClient({ region: connection.region }),
    now: () => new Date(),
  };
}

/** What sealing needs to hold what it archives into an open case's scope (core/holds/standing.ts). */
export function standingDepsFrom(
  env: Pick<HoldEnvironment, 'HOLD_REGISTRY_TABLE' | 'HOLD_AUDIT_TABLE' | 'HOLD_CASE_KEY_ID'>,
  s3: S3Client,
  connection: Connection = connectionOf(process.env),
): StandingDeps {
  return {
    s3,
    registry: registryFrom(env, connection),
    caseKeys: { kms: new KMSClient({ region: connection.region }), keyId: env.HOLD_CASE_KEY_ID },
    now: () => new Date(),
  };
}
