import { Aws } from 'aws-cdk-lib';
import type { Placement } from '../core/naming';

/**
 * The deploying stack's partition, account and region as CloudFormation
 * pseudo parameters: names and ARNs rendered with it resolve wherever the
 * stack is deployed, and cdk-nag prints them as `NAG_PLACEMENT`.
 */
export const DEPLOYED: Placement = {
  partition: Aws.PARTITION,
  account: Aws.ACCOUNT_ID,
  region: Aws.REGION,
};
