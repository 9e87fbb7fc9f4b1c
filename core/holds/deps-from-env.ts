import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueryRunner } from '../query/runner';
import type { HoldDeps } from './deps';
import { HoldRegistry } from './registry';
import { S3BatchJobs } from './batch-jobs';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`environment variable ${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The registry client for the tables named in the environment. */
export function registryFromEnv(env: NodeJS.ProcessEnv = process.env): HoldRegistry {
  const region = env.AWS_REGION ?? 'us-east-1';
  return new HoldRegistry(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    required(env, 'HOLD_TABLE'),
    required(env, 'HOLD_AUDIT_TABLE'),
  );
}

/**
 * S3 Batch Operations as the role in HOLD_BATCH_ROLE_ARN (its ARN names the
 * account and partition the jobs run in). S3 Control puts the account id in
 * the host name, so the local stand-in is reached through an endpoint
 * override (LOGVAULT_S3_CONTROL_ENDPOINT, set by scripts/standins.sh env).
 */
function batchJobsFromEnv(env: NodeJS.ProcessEnv, region: string): S3BatchJobs | undefined {
  const roleArn = env.HOLD_BATCH_ROLE_ARN;
  if (!roleArn) return undefined;
  const [, partition, , , accountId] = roleArn.split(':');
  if (!partition || !accountId || !/^\d{12}$/.test(accountId))
    throw new Error(
      `environment variable HOLD_BATCH_ROLE_ARN must be an IAM role ARN, got "${roleArn}"`,
    );
  const local = env.LOGVAULT_S3_CONTROL_ENDPOINT;
  const client = new S3ControlClient({
    region,
    ...(local ? { endpointProvider: () => ({ url: new URL(local) }) } : {}),
  });
  return new S3BatchJobs(client, accountId, roleArn, partition);
}

/**
 * Hold dependencies from the environment the compute stack sets (and the CLI's
 * --local mode sets from the stand-ins). SDK endpoints come from AWS_ENDPOINT_URL.
 */
export function holdDepsFromEnv(
  queryRunner: () => QueryRunner,
  env: NodeJS.ProcessEnv = process.env,
): HoldDeps {
  const region = env.AWS_REGION ?? 'us-east-1';
  return {
    s3: new S3Client({ region, forcePathStyle: env.AWS_ENDPOINT_URL !== undefined }),
    registry: registryFromEnv(env),
    buckets: {
      archive: required(env, 'ARCHIVE_BUCKET'),
      investigations: required(env, 'INVESTIGATIONS_BUCKET'),
    },
    concurrency: positiveInt(env, 'HOLD_CONCURRENCY', 32),
    largeScopeThreshold: positiveInt(env, 'HOLD_LARGE_SCOPE_THRESHOLD', 100_000),
    batch: batchJobsFromEnv(env, region),
    ocspRawExpiryDays: positiveInt(env, 'OCSP_RAW_EXPIRY_DAYS', 5),
    queryRunner,
    glueDatabase: required(env, 'LOGVAULT_GLUE_DATABASE'),
    now: () => new Date(),
  };
}
