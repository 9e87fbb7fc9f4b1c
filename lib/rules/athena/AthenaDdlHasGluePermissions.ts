import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { PolicyStatement, allows, coversAction, identityStatements } from '../support/iam';

/** What Athena calls in Glue for each DDL, on the table and on its database. */
const DDL: [string, string[][]][] = [
  [
    'glue:DeleteTable',
    [
      ['glue:GetTable'],
      ['glue:GetPartitions'],
      ['glue:BatchDeletePartition', 'glue:DeletePartition'],
    ],
  ],
  ['glue:CreateTable', [['glue:GetTable']]],
];

function databaseOf(tableArn: string): string | undefined {
  const match = /^(.*):table\/([^/]+)\/[^/]+$/.exec(tableArn);
  return match ? `${match[1]}:database/${match[2]}` : undefined;
}

function covers(statements: PolicyStatement[], anyOf: string[], arn: string): boolean {
  return anyOf.some((action) => allows(statements, action, [arn]));
}

/**
 * Athena runs DDL against the Glue Data Catalog with the caller's
 * permissions. For `DROP TABLE` the guide's policy lists glue:GetDatabase,
 * glue:GetTable, glue:DeleteTable, glue:GetPartitions, glue:GetPartition and
 * glue:DeletePartition on the table, its database and the catalog: "To run
 * DROP TABLE, you need permissions to this action on the table, the database
 * to which it belongs, and the catalog." (Amazon Athena User Guide,
 * "Fine-grained access to databases and tables in the AWS Glue Data
 * Catalog"). The template cannot tell whether a table made at run time is
 * partitioned, so a role that may drop tables through Athena must hold the
 * partition actions too (glue:BatchDeletePartition or glue:DeletePartition);
 * one that creates tables needs glue:GetTable and glue:GetDatabase.
 */
export const AthenaDdlHasGluePermissions: AwsRule = {
  name: 'AthenaDdlHasGluePermissions',
  level: NagMessageLevel.ERROR,
  info: 'This role runs Athena queries and may create or drop Glue tables, but lacks the other Glue actions Athena calls for that DDL (GetTable, GetDatabase, GetPartitions, BatchDeletePartition/DeletePartition): CREATE TABLE AS or DROP TABLE fails.',
  doc: {
    title: 'Fine-grained access to databases and tables in the AWS Glue Data Catalog',
    url: 'https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html',
    sentence:
      'To run DROP TABLE, you need permissions to this action on the table, the database to which it belongs, and the catalog.',
  },
  appliesTo: ['AWS::IAM::Role'],
  check: (role, model) => {
    const statements = identityStatements(model, role);
    if (
      !statements.some((s) => s.effect === 'Allow' && coversAction(s, 'athena:StartQueryExecution'))
    )
      return NOT_APPLICABLE;
    const checks = DDL.flatMap(([ddl, needs]) =>
      statements
        .filter((s) => s.effect === 'Allow' && coversAction(s, ddl))
        .flatMap((s) => s.resources.filter((arn) => arn.includes(':table/')))
        .map((table) => {
          const database = databaseOf(table);
          const onTable = needs.every((anyOf) => covers(statements, anyOf, table));
          return (
            onTable &&
            (database === undefined || covers(statements, ['glue:GetDatabase'], database))
          );
        }),
    );
    if (checks.length === 0) return NOT_APPLICABLE;
    return verdict(checks.every(Boolean));
  },
};
