import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';

/** A live table in the template's property shape, for round-trip checks. */
export async function readTableAsTemplate(
  glue: GlueClient,
  databaseName: string,
  name: string,
): Promise<Record<string, unknown>> {
  const { Table: t } = await glue.send(
    new GetTableCommand({ DatabaseName: databaseName, Name: name }),
  );
  const sd = t!.StorageDescriptor;
  return {
    DatabaseName: t!.DatabaseName,
    TableInput: {
      Name: t!.Name,
      Description: t!.Description,
      TableType: t!.TableType,
      Parameters: t!.Parameters,
      PartitionKeys: t!.PartitionKeys,
      ViewOriginalText: t!.ViewOriginalText,
      ViewExpandedText: t!.ViewExpandedText,
      Owner: t!.Owner,
      StorageDescriptor: sd && {
        Columns: sd.Columns,
        Location: sd.Location,
        InputFormat: sd.InputFormat,
        OutputFormat: sd.OutputFormat,
        SerdeInfo: sd.SerdeInfo,
      },
    },
  };
}
