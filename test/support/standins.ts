import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClients } from '../../local/aws-clients';

/**
 * Environment for the moto stand-in started by scripts/standins.sh. Code
 * under test reads AWS_ENDPOINT_URL like any SDK client; nothing is mocked.
 */
export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'us-east-1';

export function useStandins(): ReturnType<typeof awsClients> {
  process.env.AWS_ENDPOINT_URL ??= `http://127.0.0.1:${process.env.LOGVAULT_MOTO_PORT ?? '4566'}`;
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  process.env.AWS_REGION ??= LOCAL_REGION;
  return awsClients();
}

/** A short random suffix so concurrent test files never share resources. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}

/** A fresh 12-digit account id, so bucket names derived from a template never collide between runs. */
export function freshAccount(): string {
  return String(100000000000 + Math.floor(Math.random() * 899999999999));
}

export interface OwnAccount {
  readonly clients: ReturnType<typeof awsClients>;
  /** The fresh account this test file's credentials act in. */
  readonly accountId: string;
}

/**
 * Moves this test file onto an account of its own on the shared moto, so
 * files running side by side (jest's workers) never share an account-wide
 * name: a KMS alias such as `alias/logvault-dev-digest-signing`, an IAM
 * role, a table, a stream, a log group. moto keeps every service but S3 per
 * account and tells accounts apart by the credentials' access key; a role
 * assumed in account N yields keys of account N (moto's multi-account
 * support). S3 bucket names stay global, as on AWS, and carry the account.
 * The credentials go into this file's `process.env` (jest gives each file
 * its own), so the SDK clients made after this call, the CLI and forked
 * handlers act in the account too.
 */
export async function useOwnAccount(): Promise<OwnAccount> {
  useStandins();
  const accountId = freshAccount();
  const sts = new STSClient({ region: process.env.AWS_REGION });
  const { Credentials: credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/logvault-test-file`,
      RoleSessionName: 'jest',
    }),
  );
  sts.destroy();
  process.env.AWS_ACCESS_KEY_ID = credentials!.AccessKeyId!;
  process.env.AWS_SECRET_ACCESS_KEY = credentials!.SecretAccessKey!;
  process.env.AWS_SESSION_TOKEN = credentials!.SessionToken!;
  return { clients: awsClients(), accountId };
}
