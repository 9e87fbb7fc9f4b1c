import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventsRuleCanReachTargets } from '../../lib/rules/events/EventsRuleCanReachTargets';
import { LambdaRoleCanDecryptEnvironment } from '../../lib/rules/lambda/LambdaRoleCanDecryptEnvironment';
import { LambdaRoleCanReachDestinations } from '../../lib/rules/lambda/LambdaRoleCanReachDestinations';
import { SchedulerRoleCanReachTargetAndDlq } from '../../lib/rules/scheduler/SchedulerRoleCanReachTargetAndDlq';
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
