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
