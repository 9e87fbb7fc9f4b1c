import {
  CreateTableCommand,
  CreateTableCommandInput,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/** The CreateTable request an `AWS::DynamoDB::Table` declares (same field names, SDK shapes). */
export function createTableInput(p: any): CreateTableCommandInput {
  const onDemand = p.BillingMode === 'PAY_PER_REQUEST';
  return {
    TableName: p.TableName,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    BillingMode: p.BillingMode ?? 'PROVISIONED',
    ProvisionedThroughput: onDemand ? undefined : p.ProvisionedThroughput,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: any) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      ProvisionedThroughput: onDemand ? undefined : g.ProvisionedThroughput,
    })),
    SSESpecification: p.SSESpecification
      ? {
          Enabled: p.SSESpecification.SSEEnabled,
          SSEType: p.SSESpecification.SSEType,
          KMSMasterKeyId: p.SSESpecification.KMSMasterKeyId,
        }
      : undefined,
    DeletionProtectionEnabled: p.DeletionProtectionEnabled,
    Tags: p.Tags,
  };
}

/** Creates a table with the template's keys, indexes, encryption, deletion protection, PITR and tags. */
export const createTable: ResourceCreator = async (_id, p: any, { clients }) => {
  if (!p.TableName)
    throw new Error('TableName is required locally (set tableName on the construct)');
  const created = await clients.dynamodb.send(new CreateTableCommand(createTableInput(p)));
  if (p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled)
    await clients.dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: p.TableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
  const arn = created.TableDescription!.TableArn!;
  return {
    ref: p.TableName,
    attributes: { Arn: arn, StreamArn: created.TableDescription!.LatestStreamArn ?? '' },
  };
};
