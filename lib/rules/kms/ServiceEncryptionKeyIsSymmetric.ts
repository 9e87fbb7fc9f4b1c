import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { encryptionKeysNamedBy } from '../support/encryption';

/**
 * AWS services encrypt data at rest only with symmetric encryption keys:
 * "AWS services that are integrated with AWS KMS use only symmetric
 * encryption KMS keys to encrypt your data. These services do not support
 * encryption with asymmetric KMS keys." (AWS KMS Developer Guide, "AWS KMS
 * concepts"). Keeps the signing key (ECC, SIGN_VERIFY) from being handed to
 * a bucket, queue, topic, log group, table, stream or function by mistake.
 */
export const ServiceEncryptionKeyIsSymmetric: AwsRule = {
  name: 'ServiceEncryptionKeyIsSymmetric',
  level: NagMessageLevel.ERROR,
  info: 'This resource is encrypted with a KMS key that is not a symmetric ENCRYPT_DECRYPT key: the service cannot use it.',
  doc: {
    title: 'AWS KMS concepts',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html',
    sentence:
      'AWS services that are integrated with AWS KMS use only symmetric encryption KMS keys to encrypt your data. These services do not support encryption with asymmetric KMS keys.',
  },
  appliesTo: [
    'AWS::S3::Bucket',
    'AWS::SQS::Queue',
    'AWS::SNS::Topic',
    'AWS::Logs::LogGroup',
    'AWS::DynamoDB::Table',
    'AWS::Lambda::Function',
    'AWS::KinesisFirehose::DeliveryStream',
    'AWS::Athena::WorkGroup',
  ],
  check: (resource, model) => {
    const keys = encryptionKeysNamedBy(model, resource).flatMap((k) =>
      k.kind === 'cmk' ? [k.key] : [],
    );
    if (keys.length === 0) return NOT_APPLICABLE;
    return verdict(
      keys.every(
        (k) =>
          (k.properties.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' &&
          (k.properties.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT',
      ),
    );
  },
};
