import { Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BucketPurpose,
  NAG_PLACEMENT,
  arns,
  bucketName,
  wildcardFindingId,
} from '../../core/naming';
import { DEPLOYED } from '../placement';
import { Binding, binding } from './function-environment';

/**
 * Grants on exact ARNs, each wildcard acknowledged with the reason it is
 * needed, and the KMS key of what is granted granted with it (CDK's
 * `key.grant`). CDK's `bucket.grantRead` and friends would add
 * `s3:GetBucket*`/`s3:List*` on the whole bucket; logvault grants one
 * prefix and the actions it uses.
 */

/** A stage bucket as grants see it. */
export interface BucketRef {
  readonly stage: string;
  readonly purpose: BucketPurpose;
  /** The name a function is given: the data stack's bucket, or its fixed name. */
  readonly name: string;
  readonly arn: string;
  /** The key its objects are encrypted with. */
  readonly key: kms.IKey;
}

/**
 * A stage bucket by its fixed name (no reference to the data stack), or
 * through the data stack's bucket when `bucket` is given. Object grants
 * always use the fixed name, so each names one reviewable prefix.
 */
export function stageBucket(
  stage: string,
  purpose: BucketPurpose,
  key: kms.IKey,
  bucket?: s3.IBucket,
): BucketRef {
  return {
    stage,
    purpose,
    name: bucket?.bucketName ?? bucketName(stage, purpose, DEPLOYED),
    arn: bucket?.bucketArn ?? arns.stageBucket(DEPLOYED, stage, purpose),
    key,
  };
}

/** Object actions under one prefix ('' for every object), and why the wildcard is needed. */
export interface ObjectGrant {
  readonly prefix: string;
  readonly actions: readonly string[];
  readonly why: string;
  readonly sid?: string;
}

export interface BucketGrant {
  readonly objects?: readonly ObjectGrant[];
  /** Bucket-level actions (listing), limited to `prefixes` through `s3:prefix` when given. */
  readonly bucket?: {
    readonly actions: readonly string[];
    readonly prefixes?: readonly string[];
    readonly sid?: string;
  };
}

const READS = /^s3:GetObject/;
const WRITES = /^s3:(PutObject$|AbortMultipartUpload)/;

/** The key actions object actions need under SSE-KMS: decrypt to read, a data key to write. */
function keyActionsFor(actions: readonly string[]): string[] {
  const writes = actions.some((a) => WRITES.test(a));
  const reads = actions.some((a) => READS.test(a));
  if (writes) return ['kms:Decrypt', 'kms:GenerateDataKey'];
  return reads ? ['kms:Decrypt'] : [];
}

/** Acknowledges the cdk-nag finding on one wildcard resource of `role`'s policy. */
export function acknowledgeWildcard(role: iam.IRole, resource: string, why: string): void {
  Validations.of(role).acknowledge({ id: wildcardFindingId(resource), reason: why });
}

export function grantBucket(role: iam.Role, ref: BucketRef, grant: BucketGrant): void {
  for (const o of grant.objects ?? []) {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: o.sid,
        actions: [...o.actions],
        resources: [arns.stageObjects(DEPLOYED, ref.stage, ref.purpose, o.prefix)],
      }),
    );
    acknowledgeWildcard(
      role,
      arns.stageObjects(NAG_PLACEMENT, ref.stage, ref.purpose, o.prefix),
      o.why,
    );
  }
  if (grant.bucket)
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: grant.bucket.sid,
        actions: [...grant.bucket.actions],
        resources: [ref.arn],
        conditions: grant.bucket.prefixes && {
          StringLike: { 's3:prefix': grant.bucket.prefixes.map((p) => `${p}*`) },
        },
      }),
    );
  const keyActions = keyActionsFor((grant.objects ?? []).flatMap((o) => o.actions));
  if (keyActions.length > 0) ref.key.grant(role, ...keyActions);
}

/** A bucket variable: the bucket's name, and `grant` on it. */
export function bucketBinding(ref: BucketRef, grant: BucketGrant): Binding<'bucket'> {
  return binding('bucket', ref.name, (role) => grantBucket(role, ref, grant));
}

/** A customer-managed-key table as grants see it. */
export interface TableRef {
  readonly table: dynamodb.ITable;
  readonly key: kms.IKey;
}

export interface TableGrant {
  /** Reading actions, on the table (unless `indexesOnly`) and on `indexes`. */
  readonly read?: {
    readonly actions: readonly string[];
    readonly indexes?: readonly string[];
    readonly indexesOnly?: boolean;
  };
  /** Writing actions, on the table. */
  readonly write?: readonly string[];
  /** Actions denied on the table whatever else allows them (an append-only table). */
  readonly deny?: readonly string[];
}

export function grantTable(role: iam.Role, ref: TableRef, grant: TableGrant): void {
  const tableArn = ref.table.tableArn;
  if (grant.read) {
    const indexes = (grant.read.indexes ?? []).map((i) => arns.tableIndex(tableArn, i));
    const resources = grant.read.indexesOnly ? indexes : [tableArn, ...indexes];
    role.addToPolicy(new iam.PolicyStatement({ actions: [...grant.read.actions], resources }));
  }
  if (grant.write)
    role.addToPolicy(new iam.PolicyStatement({ actions: [...grant.write], resources: [tableArn] }));
  if (grant.deny)
    role.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: [...grant.deny],
        resources: [tableArn],
      }),
    );
  // DynamoDB writes with the caller's kms:Encrypt and GenerateDataKey (encryption at rest usage notes).
  // (key.grantEncryptDecrypt would add kms:ReEncrypt* and GenerateDataKey*, more than DynamoDB uses.)
  if (grant.write) ref.key.grant(role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
  else ref.key.grantDecrypt(role);
}

/** A table variable: the table's name, and `grant` on it and its key. */
export function tableBinding(ref: TableRef, grant: TableGrant): Binding<'table'> {
  return binding('table', ref.table.tableName, (role) => grantTable(role, ref, grant));
}

/** A key variable: the key's ARN, and these actions on it. */
export function keyBinding(key: kms.IKey, ...actions: string[]): Binding<'key'> {
  return binding('key', key.keyArn, (role) => key.grant(role, ...actions));
}

/**
 * Lets `role` send to an SSE-KMS queue: sqs:SendMessage and, as SQS "Key
 * management" lists for producers, kms:GenerateDataKey and kms:Decrypt on its
 * key (`queue.grantSendMessages` would add kms:ReEncrypt* and
 * GenerateDataKey*, wildcards cdk-nag refuses without a reason).
 */
export function grantSendToEncryptedQueue(role: iam.IGrantable, queue: sqs.IQueue): void {
  queue.grant(role, 'sqs:SendMessage');
  queue.encryptionMasterKey?.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
}
