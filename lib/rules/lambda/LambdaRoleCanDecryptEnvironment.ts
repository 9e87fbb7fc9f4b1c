import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { encryptionKeyOf } from '../support/encryption';
import { roleOf } from '../support/iam';
import { keyLetsRole } from '../support/kms';
import { at } from '../support/props';

/**
 * A function whose environment is encrypted with a customer managed key
 * (`KmsKeyArn`) cannot start unless its execution role may `kms:Decrypt`
 * with that key: Invoke then fails with KMSAccessDeniedException, "Lambda
 * was unable to decrypt the environment variables because KMS access was
 * denied. Check the Lambda function's KMS permissions." (AWS Lambda API
 * Reference, "Invoke"). The error messages seen in the field name the
 * execution role as the principal refused `kms:Decrypt`. CDK's
 * `environmentEncryption` does not add that grant.
 */
export const LambdaRoleCanDecryptEnvironment: AwsRule = {
  name: 'LambdaRoleCanDecryptEnvironment',
  level: NagMessageLevel.ERROR,
  info: "The function's environment is encrypted with a customer managed key its execution role may not kms:Decrypt: every invocation fails with KMSAccessDeniedException.",
  doc: {
    title: 'Invoke (AWS Lambda API Reference): Errors, KMSAccessDeniedException',
    url: 'https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html',
    sentence:
      "Lambda was unable to decrypt the environment variables because KMS access was denied. Check the Lambda function's KMS permissions.",
  },
  appliesTo: ['AWS::Lambda::Function'],
  check: (fn, model) => {
    const variables = at(fn.properties, 'Environment', 'Variables');
    const key = encryptionKeyOf(model, fn);
    const role = roleOf(model, fn.properties.Role, fn);
    if (!variables || key.kind === 'none' || !role) return NOT_APPLICABLE;
    if (key.kind === 'aws-managed') return verdict(true);
    return verdict(key.kind === 'cmk' && keyLetsRole(model, key.key, role, ['kms:Decrypt']));
  },
};
