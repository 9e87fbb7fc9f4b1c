import {
  CreateWorkGroupCommand,
  InvalidRequestException,
  UpdateWorkGroupCommand,
  WorkGroupConfiguration,
} from '@aws-sdk/client-athena';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/**
 * The Athena workgroup with the template's configuration. moto stores it but
 * runs no SQL: queries go to Trino locally (core/query/from-env.ts).
 */
export const createWorkGroup: ResourceCreator = async (_id, p: any, { clients }) => {
  const configuration = p.WorkGroupConfiguration as WorkGroupConfiguration | undefined;
  try {
    await clients.athena.send(
      new CreateWorkGroupCommand({
        Name: p.Name,
        Description: p.Description,
        Configuration: configuration,
        Tags: p.Tags,
      }),
    );
  } catch (error) {
    if (!(error instanceof InvalidRequestException) || !/exists/i.test(error.message)) throw error;
    await clients.athena.send(
      new UpdateWorkGroupCommand({
        WorkGroup: p.Name,
        Description: p.Description,
        State: p.State,
        ConfigurationUpdates: configuration,
      }),
    );
  }
  return { ref: p.Name, attributes: {} };
};
