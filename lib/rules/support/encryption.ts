import { AppModel, ModelResource } from './app-model';
import { KeyUse, keyUse } from './kms';
import { Props, at } from './props';

function dynamoKey(model: AppModel, r: ModelResource): KeyUse {
  const sse = (r.properties.SSESpecification ?? {}) as Props;
  if (sse.SSEEnabled !== true && sse.SSEEnabled !== 'true') return { kind: 'none' };
  if (sse.KMSMasterKeyId === undefined) return { kind: 'aws-managed', name: 'alias/aws/dynamodb' };
  return keyUse(model, sse.KMSMasterKeyId, r);
}

function bucketKey(model: AppModel, r: ModelResource): KeyUse {
  const rules = at(r.properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
  for (const rule of Array.isArray(rules) ? rules : []) {
    const byDefault = (at(rule, 'ServerSideEncryptionByDefault') ?? {}) as Props;
    if (!String(byDefault.SSEAlgorithm ?? '').startsWith('aws:kms')) continue;
    if (byDefault.KMSMasterKeyID === undefined)
      return { kind: 'aws-managed', name: 'alias/aws/s3' };
    return keyUse(model, byDefault.KMSMasterKeyID, r);
  }
  return { kind: 'none' };
}

function workGroupKey(model: AppModel, r: ModelResource): KeyUse {
  const encryption = (at(
    r.properties,
    'WorkGroupConfiguration',
    'ResultConfiguration',
    'EncryptionConfiguration',
  ) ?? {}) as Props;
  if (!String(encryption.EncryptionOption ?? '').endsWith('_KMS')) return { kind: 'none' };
  return keyUse(model, encryption.KmsKey, r);
}

const readers: Record<string, (model: AppModel, r: ModelResource) => KeyUse> = {
  'AWS::SNS::Topic': (m, r) => keyUse(m, r.properties.KmsMasterKeyId, r),
  'AWS::SQS::Queue': (m, r) => keyUse(m, r.properties.KmsMasterKeyId, r),
  'AWS::Logs::LogGroup': (m, r) => keyUse(m, r.properties.KmsKeyId, r),
  'AWS::Lambda::Function': (m, r) => keyUse(m, r.properties.KmsKeyArn, r),
  'AWS::DynamoDB::Table': dynamoKey,
  'AWS::S3::Bucket': bucketKey,
  'AWS::Athena::WorkGroup': workGroupKey,
  'AWS::KinesisFirehose::DeliveryStream': (m, r) =>
    keyUse(m, at(r.properties, 'DeliveryStreamEncryptionConfigurationInput', 'KeyARN'), r),
};

/** The key that encrypts a resource's data at rest, for the types logvault uses. */
export function encryptionKeyOf(model: AppModel, resource: ModelResource): KeyUse {
  const reader = readers[resource.type];
  return reader ? reader(model, resource) : { kind: 'none' };
}

/** Every key a resource names for encryption (a Firehose stream names its own and its destination's). */
export function encryptionKeysNamedBy(model: AppModel, resource: ModelResource): KeyUse[] {
  const own = encryptionKeyOf(model, resource);
  if (resource.type !== 'AWS::KinesisFirehose::DeliveryStream') return [own];
  const destination = at(
    resource.properties,
    'ExtendedS3DestinationConfiguration',
    'EncryptionConfiguration',
    'KMSEncryptionConfig',
    'AWSKMSKeyARN',
  );
  return [own, keyUse(model, destination, resource)];
}
