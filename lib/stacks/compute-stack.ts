import { Construct } from 'constructs';
import { Stack, StackProps } from 'aws-cdk-lib';
import { StageConfig } from '../config/stage-config';
import { DataStack } from './data-stack';

export interface ComputeStackProps extends StackProps {
  readonly config: StageConfig;
  /** The stateful resources this stack reads and writes. */
  readonly data: DataStack;
}

/**
 * The stateless half of logvault: delivery streams, functions, catalog and
 * schedules. It holds no data of its own beyond short-retention logs, so it
 * can be redeployed or replaced without touching the buckets.
 */
export class ComputeStack extends Stack {
  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
  }
}
