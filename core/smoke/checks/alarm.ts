import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  ListTopicsCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import {
  METRIC_NAMESPACE,
  SMOKE_CANARY_METRIC,
  alarmTopicName,
  smokeAlarmName,
  smokeQueueName,
} from '../../naming';
import type { SmokeContext } from '../context';
import { CheckVerdict, fail, pass, skip } from '../result';

/** What the stand-ins are known not to do (moto 5.2.1, cloudwatch/models.py `update_state`). */
export const MOTO_ALARM_ACTIONS = "moto's SetAlarmState records the state and runs no alarm action";

async function topicArn(ctx: SmokeContext): Promise<string> {
  const name = alarmTopicName(ctx.stage);
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.sns.send(new ListTopicsCommand({ NextToken }));
    const found = page.Topics?.find((t) => t.TopicArn?.endsWith(`:${name}`));
    if (found) return found.TopicArn!;
    NextToken = page.NextToken;
  } while (NextToken);
  throw new Error(`the alarm topic ${name} does not exist`);
}

/** A queue only the topic may send to, subscribed to it; both undone by the cleanup. */
async function subscriberQueue(ctx: SmokeContext, topic: string): Promise<string> {
  const { sqs, sns } = ctx.clients;
  const QueueName = smokeQueueName(ctx.stage, ctx.runId);
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName, Attributes: { SqsManagedSseEnabled: 'true' } }),
  );
  ctx.cleanup.add(`queue ${QueueName}`, async () => {
    try {
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
      return 'removed';
    } catch (error) {
      if (
        (error as Error).name.includes('NonExistentQueue') ||
        (error as Error).name === 'QueueDoesNotExist'
      )
        return 'already-gone';
      throw error;
    }
  });
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = attributes.Attributes!.QueueArn!;
  const statement = {
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: queueArn,
    Condition: { ArnEquals: { 'aws:SourceArn': topic } },
  };
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: queueArn,
      ReturnSubscriptionArn: true,
    }),
  );
  ctx.cleanup.add(`subscription of ${QueueName}`, async () => {
    try {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      return 'removed';
    } catch (error) {
      if ((error as Error).name === 'NotFoundException' || (error as Error).name === 'NotFound')
        return 'already-gone';
      throw error;
    }
  });
  return QueueUrl!;
}

/** Waits for a message whose text contains `marker`. */
async function received(ctx: SmokeContext, QueueUrl: string, marker: string, waitMs: number) {
  const deadline = ctx.now().getTime() + waitMs;
  while (ctx.now().getTime() < deadline) {
    const seconds = Math.max(1, Math.min(20, Math.ceil((deadline - ctx.now().getTime()) / 1000)));
    const got = await ctx.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: seconds, MaxNumberOfMessages: 10 }),
    );
    if (got.Messages?.some((m) => m.Body?.includes(marker))) return true;
  }
  return false;
}

/** The canary alarm, acting on the stage's topic; deleted by the cleanup. */
async function canaryAlarm(ctx: SmokeContext, topic: string): Promise<string> {
  const AlarmName = smokeAlarmName(ctx.stage, ctx.runId);
  await ctx.clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName,
      AlarmDescription: 'logvault smoke: proves an alarm action reaches the topic; deleted after',
      Namespace: METRIC_NAMESPACE,
      MetricName: SMOKE_CANARY_METRIC,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    }),
  );
  ctx.cleanup.add(`alarm ${AlarmName}`, async () => {
    const { cloudwatch } = ctx.clients;
    const found = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [AlarmName] }));
    if ((found.MetricAlarms ?? []).length === 0) return 'already-gone';
    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [AlarmName] }));
    return 'removed';
  });
  return AlarmName;
}

/**
 * An alarm action that really arrives: a canary alarm on the stage's topic is
 * set to ALARM, and a temporary queue subscribed to the topic receives the
 * notification (CloudWatch → the SSE-KMS topic → SQS: the key policy and the
 * topic policy of finding 1). On the stand-ins, which run no alarm action,
 * the topic → queue leg is proved by a direct publish and the check is skipped.
 */
export async function alarmCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  const topic = await topicArn(ctx);
  const queue = await subscriberQueue(ctx, topic);
  const AlarmName = await canaryAlarm(ctx, topic);
  const { cloudwatch } = ctx.clients;
  await cloudwatch.send(
    new SetAlarmStateCommand({
      AlarmName,
      StateValue: 'ALARM',
      StateReason: 'logvault smoke canary',
    }),
  );
  const described = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [AlarmName] }));
  const state = described.MetricAlarms?.[0]?.StateValue;
  const standIns = ctx.target === 'stand-ins';
  if (await received(ctx, queue, AlarmName, standIns ? 2_000 : ctx.waitMs))
    return pass(`${AlarmName} went to ALARM and its notification reached a subscriber queue`);
  if (!standIns)
    return fail(
      `${AlarmName} is ${state}; no notification reached the subscriber queue within ${ctx.waitMs / 1000} s`,
    );
  await ctx.clients.sns.send(
    new PublishCommand({ TopicArn: topic, Message: `direct ${AlarmName}` }),
  );
  if (!(await received(ctx, queue, `direct ${AlarmName}`, ctx.waitMs)))
    return fail('a message published to the topic did not reach the subscriber queue');
  return skip(
    `${MOTO_ALARM_ACTIONS} (state now ${state}); the topic delivered a direct publish to the subscriber queue`,
  );
}
