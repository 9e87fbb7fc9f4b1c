import {
  CreateStateMachineCommand,
  LogLevel,
  LoggingConfiguration,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { arns, awsPlacement } from '../../core/naming';
import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

const logging = (p: any): LoggingConfiguration | undefined =>
  p === undefined
    ? undefined
    : {
        level: p.Level as LogLevel,
        includeExecutionData: p.IncludeExecutionData,
        destinations: (p.Destinations ?? []).map((d: any) => ({
          cloudWatchLogsLogGroup: { logGroupArn: d.CloudWatchLogsLogGroup?.LogGroupArn },
        })),
      };

/**
 * The state machine with the template's definition, role and logging. moto
 * stores it and its executions but runs no task, so core/workflow/driver.ts
 * runs the definition read back from here or from the template.
 */
export const createStateMachine: ResourceCreator = async (_id, p: any, { clients, ctx }) => {
  const name: string = p.StateMachineName;
  if (!name) throw new Error('StateMachineName is required locally (name the state machine)');
  // Update needs the ARN moto gave it, which carries the account of the credentials.
  const existing = arns.stateMachine(awsPlacement(ctx.accountId, ctx.region), name);
  const settings = {
    definition: p.DefinitionString,
    roleArn: p.RoleArn,
    loggingConfiguration: logging(p.LoggingConfiguration),
    tracingConfiguration: { enabled: p.TracingConfiguration?.Enabled ?? false },
  };
  let arn: string;
  try {
    const created = await clients.sfn.send(
      new CreateStateMachineCommand({ name, type: p.StateMachineType, ...settings }),
    );
    arn = created.stateMachineArn!;
  } catch (error) {
    if (!(error instanceof StateMachineAlreadyExists)) throw error;
    await clients.sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: existing, ...settings }),
    );
    arn = existing;
  }
  return { ref: arn, attributes: { Arn: arn, Name: name } };
};
