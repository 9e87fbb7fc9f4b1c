import { functionName, stackName, stepFunctionsIntegrations } from '../../core/naming';
import { AthenaOverTrino } from '../../core/query/athena-over-trino';
import { Definition, runDefinition } from '../../core/workflow/driver';
import { renderDefinition } from './state-machine';
import { StageOnStandins } from './trino';

/** The daily job's definition as the synthesized compute template deploys it. */
export function deployedDailyDefinition(stage: StageOnStandins): Definition {
  const compute = stage.templates[stackName(stage.config.stage, 'Compute')]!;
  const resources = Object.entries(compute.Resources ?? {});
  const [, machine] = resources.find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')!;
  const [handlerId] = resources.find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' &&
      r.Properties?.FunctionName === functionName(stage.config.stage, 'aggregate-daily'),
  )!;
  return JSON.parse(
    renderDefinition(machine.Properties!.DefinitionString, handlerId),
  ) as Definition;
}

/**
 * Runs the daily workflow's definition with the local driver: each Lambda
 * task hands its payload, serialised as Lambda would (nothing but JSON
 * crosses between phases), to `phase`; Athena's query state comes from
 * `athena`, whose queries run on Trino.
 */
export function executeDailyWorkflow(
  definition: Definition,
  athena: AthenaOverTrino,
  input: object,
  phase: (payload: unknown) => Promise<unknown>,
) {
  return runDefinition(definition, input, {
    secondMs: 5,
    tasks: {
      [stepFunctionsIntegrations.lambdaInvoke]: async (parameters) => {
        const { Payload } = JSON.parse(JSON.stringify(parameters)) as { Payload: unknown };
        return { Payload: JSON.parse(JSON.stringify(await phase(Payload))) as unknown };
      },
      [stepFunctionsIntegrations.athenaGetQueryExecution]: async (parameters) =>
        athena.getQueryExecution((parameters as { QueryExecutionId: string }).QueryExecutionId),
    },
  });
}
