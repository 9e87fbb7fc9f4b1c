/**
 * Where a physical name lives: partition, account and region. Names are
 * rendered three ways from the same rule: with plain values (the CLI, the
 * stand-ins), with CloudFormation's pseudo parameters (lib/ passes CDK's
 * `Aws.*` tokens) and as cdk-nag prints those parameters in a finding id.
 */
export interface Placement {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
}

/** How cdk-nag prints the pseudo parameters inside a finding id. */
export const NAG_PLACEMENT: Placement = {
  partition: '<AWS::Partition>',
  account: '<AWS::AccountId>',
  region: '<AWS::Region>',
};

/** A placement in the commercial partition, for plain account and region values. */
export function awsPlacement(account: string, region: string): Placement {
  return { partition: 'aws', account, region };
}
