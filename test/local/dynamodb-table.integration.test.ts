/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { loadTemplates } from '../../local/template-loader';
import { readTableAsTemplate } from '../../core/audit/live/dynamodb-table';
import { synthStage } from '../support/synth';
import { LOCAL_REGION, OwnAccount, useOwnAccount } from '../support/standins';

/** Sorted attribute definitions and the GSI fields DescribeTable reports, as the template declares them. */
function declared(p: Record<string, any>) {
  return {
    TableName: p.TableName,
    KeySchema: p.KeySchema,
    AttributeDefinitions: [...p.AttributeDefinitions].sort((a, b) =>
      a.AttributeName.localeCompare(b.AttributeName),
    ),
    BillingMode: p.BillingMode,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: any) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
    })),
    SSEType: p.SSESpecification.SSEType,
    KMSMasterKeyArn: p.SSESpecification.KMSMasterKeyId,
    DeletionProtectionEnabled: p.DeletionProtectionEnabled,
    PointInTimeRecoveryEnabled: p.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled,
  };
}

describe('DynamoDB tables of the data stack on the stand-in', () => {
  let clients: OwnAccount['clients'];
  // Production's: a non-production stage's tables go with the stack, unprotected (issue 12 finding 10).
  const stackName = 'Logvault-prod-Data';
  const { templates } = synthStage('prod');
  let load: Awaited<ReturnType<typeof loadTemplates>>;

  // Synthesizing both stacks (every function bundled) takes tens of seconds.
  beforeAll(async () => {
    // An account of its own: the stage's alias, roles, tables and log groups are this file's alone.
    let accountId: string;
    ({ clients, accountId } = await useOwnAccount());
    load = await loadTemplates([{ stackName, template: templates[stackName] }], clients, {
      accountId,
      region: LOCAL_REGION,
    });
  }, 240_000);

  it('round-trips keys, indexes, KMS encryption, deletion protection and PITR', async () => {
    const tables = load.resources.filter((r) => r.type === 'AWS::DynamoDB::Table');
    expect(tables.map((t) => t.status)).toEqual(['created', 'created']);
    for (const table of tables) {
      const live = await readTableAsTemplate(clients.dynamodb, table.detail);
      const props = load.properties.get(`${stackName}/${table.logicalId}`)!;
      expect(live).toEqual(declared(props));
    }
  });

  it('refuses to delete a table with deletion protection', async () => {
    const table = load.resources.find((r) => r.type === 'AWS::DynamoDB::Table')!;
    await expect(
      clients.dynamodb.send(new DeleteTableCommand({ TableName: table.detail })),
    ).rejects.toThrow();
  });
});
