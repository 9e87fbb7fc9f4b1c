import {
  AlreadyExistsException,
  CreateDatabaseCommand,
  CreateTableCommand,
  DatabaseInput,
  TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/**
 * Glue databases and tables (external tables and Presto views) exactly as the
 * template declares them; Trino reads them from moto's Glue. The template's
 * CatalogId is not passed: moto keeps one catalog per access key.
 */
export const createDatabase: ResourceCreator = async (_id, p: any, { clients }) => {
  const input = p.DatabaseInput as DatabaseInput;
  try {
    await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: input }));
  } catch (error) {
    // A database only names a namespace; an earlier local load's one is the same.
    if (!(error instanceof AlreadyExistsException)) throw error;
  }
  return { ref: input.Name!, attributes: {} };
};

/** Creates the table, or replaces its definition when an earlier local load left one behind. */
export const createTable: ResourceCreator = async (_id, p: any, { clients }) => {
  const input = p.TableInput as TableInput;
  const databaseName = p.DatabaseName as string;
  try {
    await clients.glue.send(
      new CreateTableCommand({ DatabaseName: databaseName, TableInput: input }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExistsException)) throw error;
    await clients.glue.send(
      new UpdateTableCommand({ DatabaseName: databaseName, TableInput: input }),
    );
  }
  return { ref: `${databaseName}|${input.Name}`, attributes: {} };
};
