import { Aws } from 'aws-cdk-lib';

/** How cdk-nag prints the pseudo parameters inside a finding id. */
export const NAG_PSEUDO = { account: '<AWS::AccountId>', region: '<AWS::Region>' } as const;

/**
 * Name of a logvault bucket, `logvault-<stage>-<account>-<region>-<purpose>`,
 * the convention of lib/stacks/data-stack.ts (test/ingestion checks they agree).
 * Account and region default to the deploying stack's pseudo parameters.
 */
export function stageBucketName(
  stage: string,
  purpose: string,
  env: { account: string; region: string } = { account: Aws.ACCOUNT_ID, region: Aws.REGION },
): string {
  return ['logvault', stage, env.account, env.region, purpose].join('-');
}
