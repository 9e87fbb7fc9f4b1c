import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventsRuleCanReachTargets } from '../../lib/rules/events/EventsRuleCanReachTargets';
import { LambdaRoleCanDecryptEnvironment } from '../../lib/rules/lambda/LambdaRoleCanDecryptEnvironment';
import { LambdaRoleCanReachDestinations } from '../../lib/rules/lambda/LambdaRoleCanReachDestinations';
import { SchedulerRoleCanReachTargetAndDlq } from '../../lib/rules/scheduler/SchedulerRoleCanReachTargetAndDlq';
import { StateMachineRoleCanDeliverLogs } from '../../lib/rules/stepfunctions/StateMachineRoleCanDeliverLogs';
import { finding, findingsOf } from './fixture';

function fn(stack: Stack, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    ...props,
  });
}

function encryptedQueue(stack: Stack) {
  const key = new kms.Key(stack, 'Key');
  return { key, queue: new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: key }) };
}

function letEventBridgeUse(key: kms.Key) {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }),
  );
}

describe('EventsRuleCanReachTargets (finding 5)', () => {
  const rule = EventsRuleCanReachTargets;
  const RULE = 'Fixture/Rule/Resource';

  function scheduledRule(stack: Stack, queue: sqs.IQueue) {
    new events.Rule(stack, 'Rule', {
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(fn(stack), { deadLetterQueue: queue })],
    });
  }

  it("fires when the dead-letter queue's key does not let events.amazonaws.com in", () => {
    const found = findingsOf(rule, (stack) => scheduledRule(stack, encryptedQueue(stack).queue));
    expect(found).toEqual([finding(rule, RULE)]);
  });

  it('fires when nothing lets EventBridge send to the dead-letter queue (no queue policy)', () => {
    const found = findingsOf(rule, (stack) => {
      const queue = new sqs.Queue(stack, 'Dlq');
      const target = fn(stack);
      const cfnRule = new events.CfnRule(stack, 'Rule', {
        scheduleExpression: 'rate(1 hour)',
        targets: [{ id: 'T', arn: target.functionArn, deadLetterConfig: { arn: queue.queueArn } }],
      });
      target.addPermission('Events', {
        principal: new iam.ServicePrincipal('events.amazonaws.com'),
        sourceArn: cfnRule.attrArn,
      });
    });
    expect(found).toEqual([finding(rule, 'Fixture/Rule')]);
  });

  it('passes when the key policy lets events.amazonaws.com decrypt and generate data keys', () => {
    const found = findingsOf(rule, (stack) => {
      const { key, queue } = encryptedQueue(stack);
      letEventBridgeUse(key);
      scheduledRule(stack, queue);
    });
    expect(found).toEqual([]);
  });
});

describe('SchedulerRoleCanReachTargetAndDlq (finding 5)', () => {
  const rule = SchedulerRoleCanReachTargetAndDlq;

  function schedule(stack: Stack, grant: (role: iam.Role, queue: sqs.Queue) => void) {
    const target = fn(stack);
    const { queue } = encryptedQueue(stack);
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    });
    target.grantInvoke(role);
    grant(role, queue);
    new scheduler.CfnSchedule(stack, 'Schedule', {
      scheduleExpression: 'cron(15 3 * * ? *)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: target.functionArn,
        roleArn: role.roleArn,
        deadLetterConfig: { arn: queue.queueArn },
      },
    });
  }

  it('fires when the execution role may send to the encrypted dead-letter queue but not use its key', () => {
    const found = findingsOf(rule, (stack) =>
      schedule(stack, (role, queue) =>
        role.addToPolicy(
          new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
        ),
      ),
    );
    expect(found).toEqual([finding(rule, 'Fixture/Schedule')]);
  });

  it("passes with the queue's grantSendMessages, which adds the key's data-key actions", () => {
    const found = findingsOf(rule, (stack) =>
      schedule(stack, (role, queue) => queue.grantSendMessages(role)),
    );
    expect(found).toEqual([]);
  });
});

describe('LambdaRoleCanReachDestinations (finding 5)', () => {
  const rule = LambdaRoleCanReachDestinations;

  it('fires when the function role may send to its encrypted dead-letter queue but not use the key', () => {
    const found = findingsOf(rule, (stack) =>
      fn(stack, { deadLetterQueue: encryptedQueue(stack).queue }),
    );
    expect(found).toEqual([finding(rule, 'Fixture/Fn/Resource')]);
  });

  it('passes once the queue grants the function what a producer needs', () => {
    const found = findingsOf(rule, (stack) => {
      const { queue } = encryptedQueue(stack);
      queue.grantSendMessages(fn(stack, { deadLetterQueue: queue }));
    });
    expect(found).toEqual([]);
  });
});

describe('LambdaRoleCanDecryptEnvironment (finding 6: the retention monitor cannot start)', () => {
  const rule = LambdaRoleCanDecryptEnvironment;
  const environment = { TABLE: 'holds' };

  it('fires when the environment key is a customer managed key the role may not decrypt with', () => {
    const found = findingsOf(rule, (stack) =>
      fn(stack, { environment, environmentEncryption: new kms.Key(stack, 'Key') }),
    );
    expect(found).toEqual([finding(rule, 'Fixture/Fn/Resource')]);
  });

  it('passes once the key grants the function kms:Decrypt', () => {
    const found = findingsOf(rule, (stack) => {
      const key = new kms.Key(stack, 'Key');
      key.grantDecrypt(fn(stack, { environment, environmentEncryption: key }));
    });
    expect(found).toEqual([]);
  });
});

describe('StateMachineRoleCanDeliverLogs and a schedule starting a state machine (issue 19)', () => {
  const rule = StateMachineRoleCanDeliverLogs;

  /** A logging state machine whose role is given only what `grant` adds. */
  function loggingMachine(stack: Stack, grant: (role: iam.Role) => void) {
    const role = new iam.Role(stack, 'MachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
    });
    grant(role);
    const group = new logs.LogGroup(stack, 'Logs');
    return new sfn.CfnStateMachine(stack, 'Machine', {
      roleArn: role.roleArn,
      definitionString: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
      loggingConfiguration: {
        level: 'ALL',
        destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: group.logGroupArn } }],
      },
    });
  }

  it('fires when the role may write the log group but lacks the log-delivery actions on *', () => {
    const found = findingsOf(rule, (stack) =>
      loggingMachine(stack, (role) =>
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['logs:CreateLogDelivery', 'logs:PutLogEvents'],
            resources: [stack.formatArn({ service: 'logs', resource: 'log-group:x' })],
          }),
        ),
      ),
    );
    expect(found).toEqual([finding(rule, 'Fixture/Machine')]);
  });

  it("passes with CDK's StateMachine logging, which grants the delivery actions on *", () => {
    const found = findingsOf(rule, (stack) => {
      new sfn.StateMachine(stack, 'Machine', {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Succeed(stack, 'Done')),
        logs: { destination: new logs.LogGroup(stack, 'Logs'), level: sfn.LogLevel.ALL },
      });
    });
    expect(found).toEqual([]);
  });

  it('fires on a schedule whose role may not start the state machine it targets', () => {
    const scheduleRule = SchedulerRoleCanReachTargetAndDlq;
    const found = findingsOf(scheduleRule, (stack) => {
      const machine = loggingMachine(stack, () => undefined);
      const role = new iam.Role(stack, 'Role', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      });
      role.addToPolicy(
        new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: ['*'] }),
      );
      new scheduler.CfnSchedule(stack, 'Schedule', {
        scheduleExpression: 'cron(15 3 * * ? *)',
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: machine.attrArn, roleArn: role.roleArn },
      });
    });
    expect(found).toEqual([finding(scheduleRule, 'Fixture/Schedule')]);
  });
});
