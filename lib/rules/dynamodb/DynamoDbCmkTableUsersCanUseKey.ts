import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { arnForms } from '../support/arn-forms';
import { encryptionKeyOf } from '../support/encryption';
import { PolicyStatement, coversAction, identityStatements } from '../support/iam';
import { globMatch } from '../support/glob';
import { keyLetsRole } from '../support/kms';

const READS = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems', 'PartiQLSelect'];
const WRITES = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'PartiQLInsert',
  'PartiQLUpdate',
  'PartiQLDelete',
];

/** Whether an Allow statement lets the role run one of `actions` on the table or one of its indexes. */
function mayRun(statements: PolicyStatement[], actions: string[], tableArns: string[]): boolean {
  const onTable = (pattern: string) =>
    tableArns.some((arn) => globMatch(pattern, arn) || pattern.startsWith(`${arn}/index/`));
  return statements.some(
    (s) =>
      s.effect === 'Allow' &&
      actions.some((a) => coversAction(s, `dynamodb:${a}`)) &&
      s.resources.some(onTable),
  );
}

/** The key actions a role needs on each CMK table it may read or write. */
function needs(model: AppModel, role: ModelResource): [ModelResource, string[]][] {
  const statements = identityStatements(model, role);
  const out: [ModelResource, string[]][] = [];
  for (const table of model.resources('AWS::DynamoDB::Table')) {
    const key = encryptionKeyOf(model, table);
    if (key.kind !== 'cmk') continue;
    const arns = arnForms(model, table);
    if (mayRun(statements, WRITES, arns))
      out.push([key.key, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']]);
    else if (mayRun(statements, READS, arns)) out.push([key.key, ['kms:Decrypt']]);
  }
  return out;
}

/**
 * A role that reads a DynamoDB table encrypted with a customer managed key
 * needs `kms:Decrypt` with that key, and one that writes it also
 * `kms:Encrypt` and `kms:GenerateDataKey`: "At a minimum, DynamoDB requires
 * the following permissions on a customer managed key" (Amazon DynamoDB
 * Developer Guide, "DynamoDB encryption at rest usage notes", which lists
 * kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*,
 * kms:DescribeKey and kms:CreateGrant, the grants being DynamoDB's own).
 * CDK's `table.grantReadData` / `grantReadWriteData` add exactly these.
 */
export const DynamoDbCmkTableUsersCanUseKey: AwsRule = {
  name: 'DynamoDbCmkTableUsersCanUseKey',
  level: NagMessageLevel.ERROR,
  info: 'The role may read or write a DynamoDB table encrypted with a customer managed key but lacks kms:Decrypt (reads) or kms:Encrypt/kms:GenerateDataKey (writes) on that key: its requests are refused.',
  doc: {
    title: 'DynamoDB encryption at rest usage notes: Key policy for a customer managed key',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html',
    sentence:
      'At a minimum, DynamoDB requires the following permissions on a customer managed key: kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*, kms:DescribeKey, kms:CreateGrant.',
  },
  appliesTo: ['AWS::IAM::Role'],
  check: (role, model) => {
    const required = needs(model, role);
    if (required.length === 0) return NOT_APPLICABLE;
    return verdict(required.every(([key, actions]) => keyLetsRole(model, key, role, actions)));
  },
};
