import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { encryptionKeyOf } from '../support/encryption';
import { roleAllows } from '../support/iam';
import { keyLetsRole } from '../support/kms';
import { resultsArnPrefix, workGroupsOf } from '../support/athena';

function canWriteResults(model: AppModel, role: ModelResource, workGroup: ModelResource): boolean {
  const prefix = resultsArnPrefix(model, workGroup);
  if (prefix === undefined) return true;
  const object = [`${prefix}${prefix.endsWith('/') ? '' : '/'}x`];
  const s3 = ['s3:PutObject', 's3:GetObject'].every((a) => roleAllows(model, role, a, object));
  const key = encryptionKeyOf(model, workGroup);
  const kms =
    key.kind !== 'cmk' || keyLetsRole(model, key.key, role, ['kms:GenerateDataKey', 'kms:Decrypt']);
  return s3 && kms && key.kind !== 'external';
}

/**
 * Whoever runs queries in a workgroup writes and reads its results: "To work
 * with encrypted query results, the minimum allowed actions are
 * kms:GenerateDataKey and kms:Decrypt." (Amazon Athena User Guide,
 * "Encryption at rest"), besides s3:PutObject and s3:GetObject under the
 * results location ("Working with query results, recent queries, and output
 * files"). Checked for every role that may start queries in a workgroup of
 * the app.
 */
export const AthenaWorkGroupUsersCanWriteResults: AwsRule = {
  name: 'AthenaWorkGroupUsersCanWriteResults',
  level: NagMessageLevel.ERROR,
  info: 'This role may run queries in an Athena workgroup but cannot write or read its results location, or use the key that encrypts the results: every query fails.',
  doc: {
    title: 'Encryption at rest (Amazon Athena)',
    url: 'https://docs.aws.amazon.com/athena/latest/ug/encryption.html',
    sentence:
      'To work with encrypted query results, the minimum allowed actions are kms:GenerateDataKey and kms:Decrypt.',
  },
  appliesTo: ['AWS::IAM::Role'],
  check: (role, model) => {
    const workGroups = workGroupsOf(model, role);
    if (workGroups.length === 0) return NOT_APPLICABLE;
    return verdict(workGroups.every((wg) => canWriteResults(model, role, wg)));
  },
};
