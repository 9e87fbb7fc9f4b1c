import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { arnForms } from '../support/arn-forms';
import { isDestination, serviceCanDeliver } from '../support/delivery';
import { globMatch } from '../support/glob';
import { at, listOf } from '../support/props';

const EVENTS = 'events.amazonaws.com';

function lambdaPermits(model: AppModel, fn: ModelResource, ruleArns: string[]): boolean {
  return model.resources('AWS::Lambda::Permission').some((p) => {
    const source = model.render(p.properties.SourceArn, p);
    return (
      model.target(p.properties.FunctionName, p) === fn &&
      model.render(p.properties.Principal, p) === EVENTS &&
      (source === undefined || ruleArns.some((arn) => globMatch(source, arn)))
    );
  });
}

function reachable(model: AppModel, rule: ModelResource, target: ModelResource): boolean {
  const ruleArns = arnForms(model, rule);
  if (target.type === 'AWS::Lambda::Function') return lambdaPermits(model, target, ruleArns);
  return serviceCanDeliver(model, EVENTS, target, ruleArns);
}

/**
 * EventBridge delivers to a rule's SQS or SNS targets and dead-letter queues
 * as `events.amazonaws.com`, so the queue or topic policy must let that
 * principal send and, when the queue or topic is encrypted, the key policy
 * must let it use the key: "If your Amazon SQS queue is encrypted, you must
 * create a customer-managed KMS key and include the following permission
 * section in your KMS key policy." (Amazon EventBridge User Guide,
 * "Troubleshooting Amazon EventBridge", which lists `kms:Decrypt` and
 * `kms:GenerateDataKey` for `events.amazonaws.com`). Lambda targets need a
 * resource-based permission for the rule. Roles given in a target
 * (`RoleArn`) are outside this rule.
 */
export const EventsRuleCanReachTargets: AwsRule = {
  name: 'EventsRuleCanReachTargets',
  level: NagMessageLevel.ERROR,
  info: 'EventBridge cannot deliver to a target or dead-letter queue of this rule: the queue/topic policy or the KMS key policy does not let events.amazonaws.com send, or the function has no permission for the rule.',
  doc: {
    title:
      'Troubleshooting Amazon EventBridge: My events are not delivered to the target Amazon SQS queue',
    url: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html#eb-sqs-encrypted',
    sentence:
      'If your Amazon SQS queue is encrypted, you must create a customer-managed KMS key and include the following permission section in your KMS key policy.',
  },
  appliesTo: ['AWS::Events::Rule'],
  check: (rule, model) => {
    const destinations = listOf(rule.properties.Targets).flatMap((target) => {
      if (at(target, 'RoleArn') !== undefined) return [];
      return [at(target, 'Arn'), at(target, 'DeadLetterConfig', 'Arn')]
        .map((arn) => model.target(arn, rule))
        .filter((r): r is ModelResource => r !== undefined && isDestination(r));
    });
    if (destinations.length === 0) return NOT_APPLICABLE;
    return verdict(destinations.every((d) => reachable(model, rule, d)));
  },
};
