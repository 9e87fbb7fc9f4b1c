import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { childArns } from '../support/arn-forms';
import { encryptionKeyOf } from '../support/encryption';
import { allows, statementsOf } from '../support/iam';
import { at } from '../support/props';
import { renderList } from '../support/render';

function policyLetsLoggingWrite(model: AppModel, target: ModelResource, prefix: string): boolean {
  const statements = model
    .resources('AWS::S3::BucketPolicy')
    .filter((p) => model.target(p.properties.Bucket, p) === target)
    .flatMap((p) => statementsOf(p.properties.PolicyDocument, p))
    .filter((s) => s.anyPrincipal || s.services.includes('logging.s3.amazonaws.com'));
  return allows(statements, 's3:PutObject', childArns(model, target, `/${prefix}x`));
}

/**
 * A server access log target must take S3's log delivery: "Amazon S3 buckets
 * with default bucket encryption using SSE-KMS cannot be used as destination
 * buckets for Logging requests using server access logging. Only SSE-S3
 * default encryption is supported for server access log destination
 * buckets." (Amazon S3 User Guide, "Setting default server-side encryption
 * behavior for Amazon S3 buckets"). The same guide ("Enabling Amazon S3
 * server access logging") adds that the target must not have Object Lock
 * default retention, and with ACLs disabled its bucket policy must let
 * `logging.s3.amazonaws.com` put objects under the log prefix. Checked on the
 * source bucket, whose logs are the ones lost.
 */
export const S3AccessLogTargetAcceptsLogs: AwsRule = {
  name: 'S3AccessLogTargetAcceptsLogs',
  level: NagMessageLevel.ERROR,
  info: "This bucket's server access logs cannot be delivered: the target bucket uses SSE-KMS or Object Lock default retention, or its policy does not let logging.s3.amazonaws.com write the log prefix.",
  doc: {
    title: 'Setting default server-side encryption behavior for Amazon S3 buckets',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
    sentence:
      'Amazon S3 buckets with default bucket encryption using SSE-KMS cannot be used as destination buckets for Logging requests using server access logging. Only SSE-S3 default encryption is supported for server access log destination buckets.',
  },
  appliesTo: ['AWS::S3::Bucket'],
  check: (source, model) => {
    const logging = source.properties.LoggingConfiguration;
    if (!logging) return NOT_APPLICABLE;
    const target = model.target(at(logging, 'DestinationBucketName'), source) ?? source;
    const prefix = renderList(at(logging, 'LogFilePrefix'), source.stack.scope)[0] ?? '';
    const retention = at(target.properties, 'ObjectLockConfiguration', 'Rule', 'DefaultRetention');
    return verdict(
      encryptionKeyOf(model, target).kind === 'none' &&
        retention === undefined &&
        policyLetsLoggingWrite(model, target, prefix),
    );
  },
};
