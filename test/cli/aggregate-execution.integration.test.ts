import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { main } from '../../cli/main';
import { dailyWorkflowDefinition } from '../../core/analytics/daily-workflow/definition';
import { arns, awsPlacement, functionName, stateMachineName } from '../../core/naming';
import { addDays, formatDay } from '../../core/time/days';
import { LOCAL_REGION, OwnAccount, useOwnAccount } from '../support/standins';

/**
 * `logvault aggregate` on AWS starts the stage's state machine, here on moto.
 * What is real: moto's StartExecution checks the state machine exists and
 * keeps AWS's name rules (same name and input while running: the same
 * execution; a closed one: ExecutionAlreadyExists), and DescribeExecution
 * reports what StopExecution did. What is not: moto runs no task (without
 * docker), so an execution stays RUNNING until stopped; a successful
 * execution's output is read by the pure tests (daily-workflow-execution).
 * The attacker here is the operator's own retry: a second command while the
 * first waits must not run the day a second time.
 */
describe('logvault aggregate on Step Functions (moto)', () => {
  let own: OwnAccount;
  let stateMachineArn: string;
  const day = addDays(formatDay(new Date()), -3);
  const errors: string[] = [];
  const starts: string[] = [];

  beforeAll(async () => {
    own = await useOwnAccount();
    delete process.env.LOGVAULT_QUERY_ENGINE;
    const at = awsPlacement(own.accountId, LOCAL_REGION);
    const machine = await own.clients.sfn.send(
      new CreateStateMachineCommand({
        name: stateMachineName('dev', 'daily-job'),
        definition: JSON.stringify(
          dailyWorkflowDefinition({
            functionArn: arns.lambdaFunction(at, functionName('dev', 'aggregate-daily')),
          }),
        ),
        roleArn: `arn:aws:iam::${own.accountId}:role/logvault-dev-daily-job`,
        type: 'STANDARD',
      }),
    );
    stateMachineArn = machine.stateMachineArn!;
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(process.stderr, 'write').mockImplementation((line) => {
      starts.push(String(line));
      return true;
    });
  });
  afterAll(() => jest.restoreAllMocks());

  const executions = async () =>
    (await own.clients.sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
  const runningOnes = async () => (await executions()).filter((e) => e.status === 'RUNNING');
  const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('timed out waiting on moto');
  };

  it('starts one execution per day with {"day"}, joins it on a retry, and exits 3 naming it when it ends badly', async () => {
    const first = main(['aggregate', '--day', day]);
    const execution = await until(async () => (await runningOnes())[0]);
    expect(execution.name).toBe(`aggregate-${day}-final-1`);
    const described = await own.clients.sfn.send(
      new DescribeExecutionCommand({ executionArn: execution.executionArn }),
    );
    expect(JSON.parse(described.input!)).toEqual({ day });

    // The operator runs it again while it runs: same execution, no second run of the day.
    const second = main(['aggregate', '--day', day]);
    const told = () => starts.filter((s) => s.includes(`execution ${execution.executionArn}`));
    await until(async () => (told().length === 2 ? true : undefined));
    expect(await executions()).toHaveLength(1);

    await own.clients.sfn.send(new StopExecutionCommand({ executionArn: execution.executionArn }));
    expect(await Promise.all([first, second])).toEqual([3, 3]);
    expect(errors.filter((e) => e.includes(execution.executionArn!))).toHaveLength(2);
    // moto keeps no error or cause of a stop (AWS does; the message then adds them).
    expect(errors[0]).toBe(`logvault aggregate: execution ${execution.executionArn} ABORTED`);
  });

  it('runs a day again under the next name once the earlier execution failed', async () => {
    const third = main(['aggregate', '--day', day]);
    const retry = await until(async () => (await runningOnes())[0]);
    expect(retry.name).toBe(`aggregate-${day}-final-2`);
    expect(await executions()).toHaveLength(2);
    await own.clients.sfn.send(new StopExecutionCommand({ executionArn: retry.executionArn }));
    expect(await third).toBe(3);
  });

  it('refuses --bucket on AWS, where the workflow writes its own bucket', async () => {
    expect(await main(['aggregate', '--day', day, '--bucket', 'elsewhere'])).toBe(2);
    expect(errors.at(-1)).toMatch(/--bucket is for the stand-ins only/);
  });
});
