import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { alarmsActingOn } from '../support/delivery';
import { encryptionKeyOf } from '../support/encryption';
import { keyLetsService } from '../support/kms';

/**
 * An SNS topic that CloudWatch alarms publish to, encrypted with a KMS key,
 * needs a key policy that lets `cloudwatch.amazonaws.com` use the key:
 * "To allow the AWS service to have the kms:GenerateDataKey* and kms:Decrypt
 * permissions, add the following statement to the KMS policy."
 * (Amazon SNS Developer Guide, "Key management", section "Enable
 * compatibility between event sources from AWS services and encrypted
 * topics"). An AWS managed key (`alias/aws/sns`) can never allow it.
 * Without it every alarm notification is dropped, and CloudWatch does not say so.
 */
export const SnsAlarmTopicKeyAllowsCloudWatch: AwsRule = {
  name: 'SnsAlarmTopicKeyAllowsCloudWatch',
  level: NagMessageLevel.ERROR,
  info: "A CloudWatch alarm publishes to this KMS-encrypted topic, but the key's policy does not let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*: no alarm notification can be published.",
  doc: {
    title:
      'Key management (Amazon SNS): Enable compatibility between event sources from AWS services and encrypted topics',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
    sentence:
      'To allow the AWS service to have the kms:GenerateDataKey* and kms:Decrypt permissions, add the following statement to the KMS policy.',
  },
  appliesTo: ['AWS::SNS::Topic'],
  check: (topic, model) => {
    if (alarmsActingOn(model, topic).length === 0) return NOT_APPLICABLE;
    const key = encryptionKeyOf(model, topic);
    if (key.kind === 'none') return verdict(true);
    return verdict(
      key.kind === 'cmk' &&
        keyLetsService(key.key, 'cloudwatch.amazonaws.com', ['kms:Decrypt', 'kms:GenerateDataKey']),
    );
  },
};
