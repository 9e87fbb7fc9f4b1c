import { BucketPurpose, bucketName } from './buckets';
import type { Placement } from './placement';

/**
 * ARN renderings. With `NAG_PLACEMENT` they are the resource part of a
 * cdk-nag finding id, so an acknowledgement names the very ARN it grants.
 */

const regional = (at: Placement, service: string, resource: string) =>
  `arn:${at.partition}:${service}:${at.region}:${at.account}:${resource}`;

export const arns = {
  bucket: (at: Pick<Placement, 'partition'>, bucket: string) =>
    `arn:${at.partition}:s3:::${bucket}`,
  /** Every object under `prefix` ('' for the whole bucket). */
  objects: (at: Pick<Placement, 'partition'>, bucket: string, prefix: string) =>
    `${arns.bucket(at, bucket)}/${prefix}*`,
  object: (at: Pick<Placement, 'partition'>, bucket: string, key: string) =>
    `${arns.bucket(at, bucket)}/${key}`,
  stageBucket: (at: Placement, stage: string, purpose: BucketPurpose) =>
    arns.bucket(at, bucketName(stage, purpose, at)),
  stageObjects: (at: Placement, stage: string, purpose: BucketPurpose, prefix: string) =>
    arns.objects(at, bucketName(stage, purpose, at), prefix),
  role: (at: Pick<Placement, 'partition' | 'account'>, name: string) =>
    `arn:${at.partition}:iam::${at.account}:role/${name}`,
  logGroup: (at: Placement, name: string) => regional(at, 'logs', `log-group:${name}`),
  /** S3 Batch Operations jobs ('*' for any). */
  s3Job: (at: Placement, id: string) => regional(at, 's3', `job/${id}`),
  glueCatalog: (at: Placement) => regional(at, 'glue', 'catalog'),
  glueDatabase: (at: Placement, database: string) => regional(at, 'glue', `database/${database}`),
  glueTable: (at: Placement, database: string, table: string) =>
    regional(at, 'glue', `table/${database}/${table}`),
  athenaWorkGroup: (at: Placement, name: string) => regional(at, 'athena', `workgroup/${name}`),
  /** A CloudWatch alarm ('*' wildcards allowed, for conditions). */
  alarm: (at: Placement, name: string) => regional(at, 'cloudwatch', `alarm:${name}`),
  deliveryStream: (at: Placement, name: string) =>
    regional(at, 'firehose', `deliverystream/${name}`),
  lambdaFunction: (at: Placement, name: string) => regional(at, 'lambda', `function:${name}`),
  stateMachine: (at: Placement, name: string) => regional(at, 'states', `stateMachine:${name}`),
  /** An execution of a state machine ('*' for every one, in a policy). */
  stateMachineExecution: (at: Placement, machine: string, execution: string) =>
    regional(at, 'states', `execution:${machine}:${execution}`),
  cloudFormationStack: (at: Placement, stack: string, id: string) =>
    regional(at, 'cloudformation', `stack/${stack}/${id}`),
  /** An index of a table, from the table's ARN. */
  tableIndex: (tableArn: string, index: string) => `${tableArn}/index/${index}`,
};

/** Partition and account of an IAM role ARN; throws naming the variable that held it. */
export function parseRoleArn(arn: string, source: string): { partition: string; account: string } {
  const match = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/.+$/.exec(arn);
  if (!match) throw new Error(`${source} must be an IAM role ARN, got "${arn}"`);
  return { partition: match[1]!, account: match[2]! };
}

/** The id of a cdk-nag AwsSolutions-IAM5 finding on `resource` (rendered with NAG_PLACEMENT). */
export const wildcardFindingId = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;

/** Step Functions' service integrations the daily workflow's tasks use (core/analytics/daily-workflow). */
export const stepFunctionsIntegrations = {
  lambdaInvoke: 'arn:aws:states:::lambda:invoke',
  athenaGetQueryExecution: 'arn:aws:states:::aws-sdk:athena:getQueryExecution',
} as const;
