import { CreateTableCommand, DeleteTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectVersionPages } from '../s3/pagers';

/**
 * Values that identify people (IPs, networks, account ids, serials) reach
 * the engine as data, never as SQL literals: Athena keeps every query's text
 * for 45 days and nobody can delete it, and CloudTrail records it too. The
 * values are written as one small object under a prefix, exposed as a Glue
 * table (created through the Glue API, so no statement names them either),
 * joined by the query, and removed, object versions and table, once the
 * query is done.
 */

/** One row: what the value is (`network`, `serial`, `account`, `ip`) and the value. */
export interface IdentifierRow {
  readonly kind: string;
  readonly value: string;
}

export interface IdentifierTable {
  readonly database: string;
  /** Glue table name; the SQL joins it by this name alone. */
  readonly name: string;
  readonly bucket: string;
  /** Ends with `/`; holds nothing but this table's object. */
  readonly prefix: string;
}

/** Tab-separated, one row per line: no value this module accepts contains a tab or newline. */
const SEPARATOR = '\t';

function toText(rows: readonly IdentifierRow[]): string {
  for (const row of rows)
    for (const field of [row.kind, row.value])
      if (/[\t\n\r]/.test(field))
        throw new Error('identifier values cannot contain tabs or newlines');
  return rows.map((r) => `${r.kind}${SEPARATOR}${r.value}\n`).join('');
}

/** A text table both Athena and Trino read: LazySimpleSerDe, tab-delimited, two string columns. */
function tableInput(table: IdentifierTable) {
  return {
    Name: table.name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { EXTERNAL: 'TRUE', classification: 'csv' },
    StorageDescriptor: {
      Columns: [
        { Name: 'kind', Type: 'string' },
        { Name: 'value', Type: 'string' },
      ],
      Location: `s3://${table.bucket}/${table.prefix}`,
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: {
        SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
        Parameters: { 'field.delim': SEPARATOR, 'serialization.format': SEPARATOR },
      },
    },
  };
}

/**
 * Writes the rows and creates the table over them, after removing whatever
 * an earlier, crashed run left under the same name.
 */
export async function createIdentifierTable(
  clients: { readonly glue: GlueClient; readonly s3: S3Client },
  table: IdentifierTable,
  rows: readonly IdentifierRow[],
): Promise<void> {
  await dropIdentifierTable(clients, table);
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: table.bucket,
      Key: `${table.prefix}values.tsv`,
      Body: Buffer.from(toText(rows)),
      ContentType: 'text/tab-separated-values',
    }),
  );
  await clients.glue.send(
    new CreateTableCommand({ DatabaseName: table.database, TableInput: tableInput(table) }),
  );
}

/**
 * Deletes a Glue table through the API (what Athena's `DROP TABLE` of an
 * external table does); false when it was not there, which a cleanup expects.
 */
export async function deleteTableIfPresent(
  glue: GlueClient,
  database: string,
  name: string,
): Promise<boolean> {
  try {
    await glue.send(new DeleteTableCommand({ DatabaseName: database, Name: name }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'EntityNotFoundException') return false;
    throw error;
  }
}

/** Drops the table and deletes every version and delete marker under its prefix; idempotent. */
export async function dropIdentifierTable(
  clients: { readonly glue: GlueClient; readonly s3: S3Client },
  table: IdentifierTable,
): Promise<void> {
  await deleteTableIfPresent(clients.glue, table.database, table.name);
  await deleteEveryVersion(clients.s3, table.bucket, table.prefix);
}

/** Deletes every version and delete marker under `prefix` (the buckets are versioned). */
export async function deleteEveryVersion(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<number> {
  if (!prefix.endsWith('/')) throw new Error(`prefix must end with "/": ${prefix}`);
  let deleted = 0;
  for await (const page of objectVersionPages(s3, bucket, prefix))
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      await s3.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: v.Key!, VersionId: v.VersionId! }),
      );
      deleted += 1;
    }
  return deleted;
}
