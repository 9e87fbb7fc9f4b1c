import { Aws } from 'aws-cdk-lib';

/**
 * ARNs of one prefix in a stage bucket, built from the fixed bucket name so
 * each grant names one reviewable prefix without a cross-stack reference.
 */
export const stageObjectsArn = (stage: string, purpose: string, prefix: string) =>
  `arn:${Aws.PARTITION}:s3:::logvault-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}-${purpose}/${prefix}*`;

/** The same ARN as cdk-nag prints it, for finding-specific acknowledgements. */
export const stageObjectsNagResource = (stage: string, purpose: string, prefix: string) =>
  `arn:<AWS::Partition>:s3:::logvault-${stage}-<AWS::AccountId>-<AWS::Region>-${purpose}/${prefix}*`;
