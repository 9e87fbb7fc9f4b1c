import { S3Client } from '@aws-sdk/client-s3';
import { DailyJobTarget } from '../../core/analytics/daily-job';
import { dailyWorkflowDefinition } from '../../core/analytics/daily-workflow/definition';
import { executionInput } from '../../core/analytics/daily-workflow/execution';
import { runWorkflowPhase, workflowEventSchema } from '../../core/analytics/daily-workflow/phases';
import { WorkflowResult } from '../../core/analytics/daily-workflow/workflow';
import { stepFunctionsIntegrations } from '../../core/naming';
import { AthenaOverTrino } from '../../core/query/athena-over-trino';
import { QueryRunner } from '../../core/query/runner';
import { runDefinition } from '../../core/workflow/driver';
import { ExecutionFailedError } from './aggregate-execution';

/**
 * The daily workflow's own definition, run in this process for an engine
 * with no Step Functions in front of it (Trino on the stand-ins): each
 * Lambda task is the phase the handler would run, given exactly the JSON
 * Lambda would carry; Athena's query state comes from the queries running
 * here. So the stand-ins take the path AWS takes, only the executor differs.
 */
export async function runDayLocally(
  day: string,
  deps: { readonly runner: QueryRunner; readonly s3: S3Client },
  target: DailyJobTarget,
): Promise<WorkflowResult> {
  const athena = new AthenaOverTrino(deps.runner);
  const definition = dailyWorkflowDefinition({ functionArn: 'aggregate-daily' });
  const execution = await runDefinition(definition, JSON.parse(executionInput(day)), {
    // A second of the definition's waits (15 s between polls) lasts 5 ms here.
    secondMs: 5,
    tasks: {
      [stepFunctionsIntegrations.lambdaInvoke]: async (parameters) => {
        const { Payload } = JSON.parse(JSON.stringify(parameters)) as { Payload: unknown };
        const event = workflowEventSchema.parse(Payload);
        const state = await runWorkflowPhase(
          event,
          { ...deps, runner: athena, now: new Date() },
          target,
        );
        return { Payload: JSON.parse(JSON.stringify(state)) as unknown };
      },
      [stepFunctionsIntegrations.athenaGetQueryExecution]: async (parameters) =>
        athena.getQueryExecution((parameters as { QueryExecutionId: string }).QueryExecutionId),
    },
  });
  if (execution.status === 'FAILED')
    throw new ExecutionFailedError(
      `local execution for ${day} FAILED in state ${execution.history.at(-1)}: ` +
        execution.error?.message,
    );
  return execution.output as WorkflowResult;
}
