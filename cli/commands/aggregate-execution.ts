import {
  DescribeExecutionCommand,
  DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DayKind, executionInput, failureOf } from '../../core/analytics/daily-workflow/execution';
import { WorkflowResult } from '../../core/analytics/daily-workflow/workflow';
import { Placement, arns, dailyJobExecutionName, stateMachineName } from '../../core/naming';

/** Where the stage's daily workflow is, and how often to ask about an execution. */
export interface DailyJobMachine {
  readonly sfn: SFNClient;
  readonly placement: Placement;
  readonly stage: string;
  /** Longest wait between two DescribeExecution calls, in ms; the first waits 1/16 of it. */
  readonly pollMs: number;
  /**
   * Told the execution's ARN once it is known; `earlier` when it is one that
   * had already closed. (Step Functions answers a start that joins a running
   * execution as it answers a new one.)
   */
  readonly onStarted?: (executionArn: string, earlier: boolean) => void;
}

/** An execution that ended other than SUCCEEDED; the message names it and where it stopped. */
export class ExecutionFailedError extends Error {}

/** A name is reused this many times at most; past it something else is wrong. */
const MAX_ATTEMPTS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts (or joins) the execution for `day` and waits for its result. Names
 * are tried in order (dailyJobExecutionName, attempt 1, 2, ...): Step
 * Functions returns the execution already running under a name with the
 * same input, so a second command joins the first; a closed one
 * (ExecutionAlreadyExists) is reused when it finalised the day, and passed
 * over when it failed or aggregated a day that was not final then.
 */
export async function runDayExecution(
  day: string,
  kind: DayKind,
  machine: DailyJobMachine,
): Promise<WorkflowResult> {
  const machineName = stateMachineName(machine.stage, 'daily-job');
  const stateMachineArn = arns.stateMachine(machine.placement, machineName);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const name = dailyJobExecutionName(day, kind, attempt);
    const executionArn = arns.stateMachineExecution(machine.placement, machineName, name);
    try {
      await machine.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name, input: executionInput(day) }),
      );
      machine.onStarted?.(executionArn, false);
      return await resultOf(executionArn, machine);
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
    const earlier = await describe(executionArn, machine);
    if (earlier.status === 'RUNNING' || (earlier.status === 'SUCCEEDED' && kind === 'final')) {
      machine.onStarted?.(executionArn, earlier.status !== 'RUNNING');
      return resultOf(executionArn, machine);
    }
  }
  throw new ExecutionFailedError(
    `${day}: ${MAX_ATTEMPTS} executions of ${machineName} already exist for this day; ` +
      'see them in the Step Functions console',
  );
}

const describe = (executionArn: string, machine: DailyJobMachine) =>
  machine.sfn.send(new DescribeExecutionCommand({ executionArn }));

/** Polls DescribeExecution until the execution closes; its output, or why it failed. */
async function resultOf(executionArn: string, machine: DailyJobMachine): Promise<WorkflowResult> {
  let wait = Math.max(1, machine.pollMs / 16);
  for (;;) {
    const execution = await describe(executionArn, machine);
    if (execution.status === 'SUCCEEDED') {
      // AWS always gives a succeeded execution's output; a stand-in may not.
      if (execution.output === undefined)
        throw new ExecutionFailedError(`execution ${executionArn} SUCCEEDED with no output`);
      return JSON.parse(execution.output) as WorkflowResult;
    }
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE')
      throw await failure(execution, machine);
    await sleep(wait);
    wait = Math.min(wait * 2, machine.pollMs);
  }
}

async function failure(
  execution: DescribeExecutionCommandOutput,
  machine: DailyJobMachine,
): Promise<ExecutionFailedError> {
  let where = {
    state: undefined as string | undefined,
    error: execution.error,
    cause: execution.cause,
  };
  // An aborted execution was stopped by someone; its error and cause say why.
  if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT') {
    const history = await machine.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: execution.executionArn,
        reverseOrder: true,
        maxResults: 50,
      }),
    );
    const found = failureOf([...(history.events ?? [])].reverse());
    where = {
      state: found.state,
      error: found.error ?? where.error,
      cause: found.cause ?? where.cause,
    };
  }
  const reason = [where.error, where.cause].filter((s) => s !== undefined && s !== '').join(': ');
  return new ExecutionFailedError(
    `execution ${execution.executionArn} ${execution.status}` +
      (where.state === undefined ? '' : ` in state ${where.state}`) +
      (reason === '' ? '' : `: ${reason}`),
  );
}
