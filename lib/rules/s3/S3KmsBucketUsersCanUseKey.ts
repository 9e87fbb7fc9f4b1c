import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { childArns } from '../support/arn-forms';
import { encryptionKeyOf } from '../support/encryption';
import { PolicyStatement, coversAction, identityStatements } from '../support/iam';
import { globMatch } from '../support/glob';
import { keyLetsRole } from '../support/kms';

const NEEDS: [string, string][] = [
  ['s3:PutObject', 'kms:GenerateDataKey'],
  ['s3:GetObject', 'kms:Decrypt'],
  ['s3:GetObjectVersion', 'kms:Decrypt'],
];

/** Whether some Allow statement lets the role act on objects of `bucket` (any prefix). */
function actsOnObjects(s: PolicyStatement, action: string, objectArns: string[]): boolean {
  if (s.effect !== 'Allow' || !coversAction(s, action)) return false;
  const prefixes = objectArns.map((arn) => arn.slice(0, -1));
  return s.resources.some((pattern) =>
    prefixes.some((prefix) => pattern.startsWith(prefix) || globMatch(pattern, `${prefix}x`)),
  );
}

function needs(model: AppModel, role: ModelResource): [ModelResource, string[]][] {
  const statements = identityStatements(model, role);
  const out: [ModelResource, string[]][] = [];
  for (const bucket of model.resources('AWS::S3::Bucket')) {
    const key = encryptionKeyOf(model, bucket);
    if (key.kind !== 'cmk') continue;
    const objects = childArns(model, bucket, '/*');
    const actions = NEEDS.filter(([s3]) => statements.some((s) => actsOnObjects(s, s3, objects)));
    if (actions.length > 0) out.push([key.key, [...new Set(actions.map(([, kms]) => kms))]]);
  }
  return out;
}

/**
 * Writing to or reading from an SSE-KMS bucket needs the key as well as the
 * object permission: "To upload an object encrypted with an AWS KMS key to
 * Amazon S3, you need kms:GenerateDataKey permissions on the key. To download
 * an object encrypted with an AWS KMS key, you need kms:Decrypt permissions."
 * (Amazon S3 User Guide, "Protecting data using server-side encryption with
 * AWS Key Management Service keys (SSE-KMS)"). Checked for every role of the
 * app that may put or get objects of a bucket whose default encryption is a
 * customer managed key (Firehose, Batch Operations and function roles alike).
 */
export const S3KmsBucketUsersCanUseKey: AwsRule = {
  name: 'S3KmsBucketUsersCanUseKey',
  level: NagMessageLevel.ERROR,
  info: "The role may put or get objects of an SSE-KMS bucket but not use the bucket's key (kms:GenerateDataKey to write, kms:Decrypt to read): its requests are refused.",
  doc: {
    title:
      'Protecting data using server-side encryption with AWS Key Management Service keys (SSE-KMS)',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
    sentence:
      'To upload an object encrypted with an AWS KMS key to Amazon S3, you need kms:GenerateDataKey permissions on the key. To download an object encrypted with an AWS KMS key, you need kms:Decrypt permissions.',
  },
  appliesTo: ['AWS::IAM::Role'],
  check: (role, model) => {
    const required = needs(model, role);
    if (required.length === 0) return NOT_APPLICABLE;
    return verdict(required.every(([key, actions]) => keyLetsRole(model, key, role, actions)));
  },
};
