import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { arnForms, childArns } from '../support/arn-forms';
import {
  PolicyStatement,
  coversAction,
  identityStatements,
  roleAllows,
  statementsOf,
} from '../support/iam';
import { globMatch } from '../support/glob';

const SERVICE = 'batchoperations.s3.amazonaws.com';
const LOCK_ACTIONS = ['s3:PutObjectLegalHold', 's3:PutObjectRetention'];

function lockedBuckets(model: AppModel, statements: PolicyStatement[]): ModelResource[] {
  return model.resources('AWS::S3::Bucket').filter((bucket) => {
    const prefixes = childArns(model, bucket, '/');
    return statements.some(
      (s) =>
        s.effect === 'Allow' &&
        LOCK_ACTIONS.some((a) => coversAction(s, a)) &&
        s.resources.some((p) =>
          prefixes.some((pre) => p.startsWith(pre) || globMatch(p, `${pre}x`)),
        ),
    );
  });
}

function trustScopedToOwnAccount(model: AppModel, role: ModelResource): boolean {
  const account = model.render({ Ref: 'AWS::AccountId' }, role);
  return statementsOf(role.properties.AssumeRolePolicyDocument, role).some((s) => {
    if (s.effect !== 'Allow' || !s.services.includes(SERVICE)) return false;
    const source = s.conditions.StringEquals?.['aws:SourceAccount'];
    return source === undefined || source.every((a) => a === account);
  });
}

/**
 * A Batch Operations role that sets legal holds or retention must be able to
 * read the bucket's Object Lock configuration first: "S3 Batch Operations
 * verifies that Object Lock is enabled on your S3 bucket before processing
 * any keys in the manifest. To perform the object operations and bucket
 * level validation, S3 Batch Operations needs s3:PutObjectLegalHold and
 * s3:GetBucketObjectLockConfiguration in an IAM role allowing S3 Batch
 * Operations to call S3 Object Lock on your behalf." (Amazon S3 User Guide,
 * "S3 Object Lock legal hold"). Every job also reads its manifest
 * (`s3:GetObject`) and writes its report (`s3:PutObject`) ("Granting
 * permissions for Amazon S3 Batch Operations"), and the trust policy must let
 * `batchoperations.s3.amazonaws.com` in; an `aws:SourceAccount` condition, if
 * any, must name this account.
 */
export const S3BatchOperationsRoleCoversObjectLockJobs: AwsRule = {
  name: 'S3BatchOperationsRoleCoversObjectLockJobs',
  level: NagMessageLevel.ERROR,
  info: 'This S3 Batch Operations role sets legal holds or retention but lacks s3:GetBucketObjectLockConfiguration on a target bucket, manifest read or report write, or a trust policy S3 Batch Operations can use: every such job fails.',
  doc: {
    title: 'S3 Object Lock legal hold (S3 Batch Operations)',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-legal-hold.html',
    sentence:
      'S3 Batch Operations verifies that Object Lock is enabled on your S3 bucket before processing any keys in the manifest. To perform the object operations and bucket level validation, S3 Batch Operations needs s3:PutObjectLegalHold and s3:GetBucketObjectLockConfiguration in an IAM role allowing S3 Batch Operations to call S3 Object Lock on your behalf.',
  },
  appliesTo: ['AWS::IAM::Role'],
  check: (role, model) => {
    const trust = statementsOf(role.properties.AssumeRolePolicyDocument, role);
    if (!trust.some((s) => s.services.includes(SERVICE))) return NOT_APPLICABLE;
    const statements = identityStatements(model, role);
    const buckets = lockedBuckets(model, statements);
    if (buckets.length === 0) return NOT_APPLICABLE;
    const readsManifest = statements.some(
      (s) => s.effect === 'Allow' && coversAction(s, 's3:GetObject'),
    );
    const writesReport = statements.some(
      (s) => s.effect === 'Allow' && coversAction(s, 's3:PutObject'),
    );
    const checksLock = buckets.every((b) =>
      roleAllows(model, role, 's3:GetBucketObjectLockConfiguration', arnForms(model, b)),
    );
    return verdict(
      checksLock && readsManifest && writesReport && trustScopedToOwnAccount(model, role),
    );
  },
};
