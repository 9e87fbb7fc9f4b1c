import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { arnForms, childArns } from '../support/arn-forms';
import { encryptionKeyOf } from '../support/encryption';
import { roleAllows, roleOf, trusts } from '../support/iam';
import { keyLetsRole, keyUse } from '../support/kms';
import { at } from '../support/props';

function canLog(model: AppModel, stream: ModelResource, role: ModelResource, s3: unknown): boolean {
  if (at(s3, 'CloudWatchLoggingOptions', 'Enabled') !== true) return true;
  const group = model.render(at(s3, 'CloudWatchLoggingOptions', 'LogGroupName'), stream);
  const logStream = model.render(at(s3, 'CloudWatchLoggingOptions', 'LogStreamName'), stream);
  const p = (name: string) => model.render({ Ref: name }, stream);
  const arn = `arn:${p('AWS::Partition')}:logs:${p('AWS::Region')}:${p('AWS::AccountId')}:log-group:${group}:log-stream:${logStream}`;
  return roleAllows(model, role, 'logs:PutLogEvents', [arn]);
}

function canUseKeys(
  model: AppModel,
  stream: ModelResource,
  role: ModelResource,
  bucket: ModelResource,
  s3: unknown,
) {
  const named = keyUse(
    model,
    at(s3, 'EncryptionConfiguration', 'KMSEncryptionConfig', 'AWSKMSKeyARN'),
    stream,
  );
  const key = named.kind === 'none' ? encryptionKeyOf(model, bucket) : named;
  if (key.kind === 'external') return false;
  return key.kind !== 'cmk' || keyLetsRole(model, key.key, role, ['kms:GenerateDataKey']);
}

/**
 * Firehose writes to S3 with the stream's role; the guide's policy for an
 * S3 destination gives it s3:AbortMultipartUpload, s3:GetBucketLocation,
 * s3:ListBucketMultipartUploads and s3:PutObject on the bucket, and
 * kms:GenerateDataKey on the key (Amazon Data Firehose Developer Guide,
 * "Controlling access with Amazon Data Firehose", section "Grant Firehose
 * access to an Amazon S3 destination": "Use the following access policy to
 * enable Kinesis Data Firehose to access your S3 bucket and AWS KMS key."),
 * plus logs:PutLogEvents when error logging is on. Write is checked under
 * the stream's prefix and its error prefix. s3:GetObject and s3:ListBucket,
 * also in the guide's example, are left out on purpose (write-only roles);
 * the smoke check on a real account settles that.
 */
export const FirehoseRoleCanDeliverToS3: AwsRule = {
  name: 'FirehoseRoleCanDeliverToS3',
  level: NagMessageLevel.ERROR,
  info: "The delivery stream's role cannot write its S3 prefixes (PutObject, multipart, bucket location), use the destination key, or log delivery errors, or firehose.amazonaws.com cannot assume it: records never reach S3.",
  doc: {
    title:
      'Controlling access with Amazon Data Firehose: Grant Firehose access to an Amazon S3 destination',
    url: 'https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3',
    sentence:
      'Use the following access policy to enable Kinesis Data Firehose to access your S3 bucket and AWS KMS key.',
  },
  appliesTo: ['AWS::KinesisFirehose::DeliveryStream'],
  check: (stream, model) => {
    const s3 =
      stream.properties.ExtendedS3DestinationConfiguration ??
      stream.properties.S3DestinationConfiguration;
    const bucket = model.target(at(s3, 'BucketARN'), stream);
    const role = roleOf(model, at(s3, 'RoleARN'), stream);
    if (!s3 || !bucket || !role) return NOT_APPLICABLE;
    const prefixes = ['Prefix', 'ErrorOutputPrefix']
      .map((p) => model.render(at(s3, p), stream))
      .filter((p): p is string => p !== undefined);
    const writes = (prefixes.length ? prefixes : ['']).every((prefix) =>
      ['s3:PutObject', 's3:AbortMultipartUpload'].every((a) =>
        roleAllows(model, role, a, childArns(model, bucket, `/${prefix}x`)),
      ),
    );
    const locates = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'].every((a) =>
      roleAllows(model, role, a, arnForms(model, bucket)),
    );
    return verdict(
      trusts(role, 'firehose.amazonaws.com') &&
        writes &&
        locates &&
        canUseKeys(model, stream, role, bucket, s3) &&
        canLog(model, stream, role, s3),
    );
  },
};
