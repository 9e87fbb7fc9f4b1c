import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { ModelResource } from '../support/app-model';
import { isDestination, roleCanDeliver } from '../support/delivery';
import { roleOf, trusts } from '../support/iam';
import { at } from '../support/props';

/**
 * EventBridge Scheduler calls the target and sends dead-letter events with
 * the schedule's execution role, so that role is the queue's producer and
 * needs what any producer needs: "Therefore, the producer must have the
 * kms:GenerateDataKey and kms:Decrypt permissions for the KMS key." (Amazon
 * SQS Developer Guide, "Key management", section "Configure KMS permissions
 * for producers"), besides `sqs:SendMessage` on the dead-letter queue
 * (EventBridge Scheduler User Guide, "Configuring a schedule's dead-letter
 * queue") and the permission to invoke its target.
 */
export const SchedulerRoleCanReachTargetAndDlq: AwsRule = {
  name: 'SchedulerRoleCanReachTargetAndDlq',
  level: NagMessageLevel.ERROR,
  info: "The schedule's execution role cannot invoke its target or write to its dead-letter queue (send permission, or the queue's KMS key), or scheduler.amazonaws.com cannot assume it.",
  doc: {
    title: 'Key management (Amazon SQS): Configure KMS permissions for producers',
    url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#send-to-encrypted-queue',
    sentence:
      'Therefore, the producer must have the kms:GenerateDataKey and kms:Decrypt permissions for the KMS key.',
  },
  appliesTo: ['AWS::Scheduler::Schedule'],
  check: (schedule, model) => {
    const target = schedule.properties.Target;
    const role = roleOf(model, at(target, 'RoleArn'), schedule);
    if (!role) return NOT_APPLICABLE;
    const destinations = [at(target, 'Arn'), at(target, 'DeadLetterConfig', 'Arn')]
      .map((arn) => model.target(arn, schedule))
      .filter((r): r is ModelResource => isDestination(r));
    return verdict(
      trusts(role, 'scheduler.amazonaws.com') &&
        destinations.every((d) => roleCanDeliver(model, role, d)),
    );
  },
};
