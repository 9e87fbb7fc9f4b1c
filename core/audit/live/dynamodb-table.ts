import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** Reads a live table back into the shape of `AWS::DynamoDB::Table` properties, for round-trip tests. */
export async function readTableAsTemplate(
  dynamodb: DynamoDBClient,
  TableName: string,
): Promise<Record<string, unknown>> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
  const backups = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName }));
  const pitr =
    backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
      ?.PointInTimeRecoveryStatus === 'ENABLED';
  return JSON.parse(
    JSON.stringify({
      TableName: Table!.TableName,
      KeySchema: Table!.KeySchema,
      AttributeDefinitions: [...(Table!.AttributeDefinitions ?? [])].sort((a, b) =>
        a.AttributeName!.localeCompare(b.AttributeName!),
      ),
      BillingMode: Table!.BillingModeSummary?.BillingMode,
      // moto reports "no indexes" as an empty list, the template omits the field.
      GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes?.length
        ? Table!.GlobalSecondaryIndexes.map((g) => ({
            IndexName: g.IndexName,
            KeySchema: g.KeySchema,
            Projection: g.Projection,
          }))
        : undefined,
      SSEType: Table!.SSEDescription?.SSEType,
      KMSMasterKeyArn: Table!.SSEDescription?.KMSMasterKeyArn,
      DeletionProtectionEnabled: Table!.DeletionProtectionEnabled,
      PointInTimeRecoveryEnabled: pitr,
    }),
  );
}
