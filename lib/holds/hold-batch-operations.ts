import { Construct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Binding, binding } from '../compute/function-environment';
import { BucketRef, acknowledgeWildcard, grantBucket, stageBucket } from '../compute/grants';
import type { StageData } from '../stacks/stage-data';
import { NAG_PLACEMENT, arns, holdRoleNames, prefixes, wildcardFindingId } from '../../core/naming';
import { DEPLOYED } from '../placement';

export interface HoldBatchOperationsProps {
  /** Stage name, part of every fixed name. */
  readonly stage: string;
  /** The data stack whose archive the jobs hold and whose investigations bucket keeps manifests and reports. */
  readonly data: StageData;
}

const SERVICE = 'batchoperations.s3.amazonaws.com';

/**
 * The large-scope path of legal holds: the role S3 Batch Operations assumes
 * to set legal holds from a manifest, and the grants that let a hold
 * function start such jobs and read their completion reports. Manifests and
 * reports live under `hold-jobs/` in the investigations bucket.
 */
export class HoldBatchOperations extends Construct {
  /** Assumed by S3 Batch Operations; named in the archive's legal-hold guard. */
  public readonly role: iam.Role;
  private readonly jobFiles: BucketRef;

  constructor(scope: Construct, id: string, props: HoldBatchOperationsProps) {
    super(scope, id);
    const { stage, data } = props;
    this.jobFiles = stageBucket(stage, 'investigations', data.storageKey);
    this.role = new iam.Role(this, 'Role', {
      roleName: holdRoleNames(stage).batch,
      description: 'S3 Batch Operations: legal hold ON/OFF for large cases, from a manifest',
      // Confused-deputy guard: only jobs of this account may assume it.
      assumedBy: new iam.ServicePrincipal(SERVICE).withConditions({
        StringEquals: { 'aws:SourceAccount': DEPLOYED.account },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObjectLegalHold'],
        resources: [arns.stageObjects(DEPLOYED, stage, 'subscriber-archive', prefixes.acme)],
      }),
    );
    // Batch Operations reads the bucket's Object Lock configuration before it touches any key.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketObjectLockConfiguration'],
        resources: [arns.stageBucket(DEPLOYED, stage, 'subscriber-archive')],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        resources: [arns.stageObjects(DEPLOYED, stage, 'investigations', prefixes.holdJobs)],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation'],
        resources: [data.investigations.bucketArn],
      }),
    );
    data.storageKey.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    const ack = (resource: string, reason: string) =>
      Validations.of(this.role).acknowledge({ id: wildcardFindingId(resource), reason });
    ack(
      arns.stageObjects(NAG_PLACEMENT, stage, 'subscriber-archive', prefixes.acme),
      'A large case holds any archived ACME version its range covers; the manifest names them at run time.',
    );
    ack(
      arns.stageObjects(NAG_PLACEMENT, stage, 'investigations', prefixes.holdJobs),
      'Reads the manifest and writes the completion report of each job under hold-jobs/<caseId>/.',
    );
    Validations.of(this.role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'This role exists for the legal-hold jobs alone; its policy is written for it and reused nowhere.',
    });
  }

  /**
   * The HOLD_BATCH_ROLE_ARN variable of a hold function: this role's ARN,
   * and the right to write manifests, start legal-hold jobs as this role and
   * read their reports.
   */
  binding(): Binding<'role'> {
    return binding('role', this.role.roleArn, (role) => this.grantStartJobs(role));
  }

  private grantStartJobs(role: iam.Role): void {
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:CreateJob'],
        // CreateJob has no resource type; the condition pins the only operation allowed.
        resources: ['*'],
        conditions: { StringEquals: { 's3:RequestJobOperation': 'S3PutObjectLegalHold' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:DescribeJob'],
        resources: [arns.s3Job(DEPLOYED, '*')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': SERVICE } },
      }),
    );
    grantBucket(role, this.jobFiles, {
      objects: [
        {
          prefix: prefixes.holdJobs,
          actions: ['s3:PutObject', 's3:GetObject'],
          why: 'Writes each job manifest and reads its completion report under hold-jobs/<caseId>/.',
        },
      ],
    });
    acknowledgeWildcard(
      role,
      '*',
      's3:CreateJob has no resource type; the statement is limited to S3PutObjectLegalHold jobs by condition.',
    );
    acknowledgeWildcard(
      role,
      arns.s3Job(NAG_PLACEMENT, '*'),
      'Job ids are assigned by S3 when the function creates a job; DescribeJob only reads them.',
    );
  }
}
