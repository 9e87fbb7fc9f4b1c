import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { arnForms } from '../support/arn-forms';
import { encryptionKeyOf } from '../support/encryption';
import { keyLetsService } from '../support/kms';

const ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
];

/**
 * A log group encrypted with a customer managed key needs the key policy to
 * let the regional CloudWatch Logs principal use it: "With this step, you
 * give the CloudWatch service principal permission to use the key. This
 * service principal must be in the same AWS Region where the key is stored."
 * (Amazon CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs
 * using AWS Key Management Service"), with `kms:Encrypt*`, `kms:Decrypt*`,
 * `kms:ReEncrypt*`, `kms:GenerateDataKey*` and `kms:Describe*` for
 * `logs.<region>.amazonaws.com`. A `kms:EncryptionContext:aws:logs:arn`
 * condition must admit this log group's ARN.
 */
export const LogGroupKeyAllowsCloudWatchLogs: AwsRule = {
  name: 'LogGroupKeyAllowsCloudWatchLogs',
  level: NagMessageLevel.ERROR,
  info: 'The log group is encrypted with a KMS key whose policy does not let logs.<region>.amazonaws.com use it for this log group: creating the log group fails, or logs cannot be written.',
  doc: {
    title: 'Encrypt log data in CloudWatch Logs using AWS Key Management Service',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
    sentence:
      'With this step, you give the CloudWatch service principal permission to use the key. This service principal must be in the same AWS Region where the key is stored.',
  },
  appliesTo: ['AWS::Logs::LogGroup'],
  check: (group, model) => {
    const key = encryptionKeyOf(model, group);
    if (key.kind === 'none') return NOT_APPLICABLE;
    if (key.kind !== 'cmk') return verdict(false);
    const region = model.render({ Ref: 'AWS::Region' }, group);
    const context = { key: 'kms:EncryptionContext:aws:logs:arn', values: arnForms(model, group) };
    return verdict(keyLetsService(key.key, `logs.${region}.amazonaws.com`, ACTIONS, context));
  },
};
