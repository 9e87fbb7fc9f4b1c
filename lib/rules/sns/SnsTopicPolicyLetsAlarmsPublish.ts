import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { alarmsActingOn, resourcePolicyOf } from '../support/delivery';
import { arnForms } from '../support/arn-forms';
import { coversAction, coversResource } from '../support/iam';

/**
 * An `AWS::SNS::TopicPolicy` replaces the default policy SNS gives a new
 * topic, which is what lets CloudWatch alarms publish to it: "Amazon SNS
 * grants a default policy to all newly created topics. The default policy
 * grants access to your topic to all other AWS services." (Amazon SNS
 * Developer Guide, "Example cases for Amazon SNS access control"). A topic
 * policy that holds only a TLS `Deny` therefore lets nobody publish.
 * CloudWatch's own page shows the statement to add: `SNS:Publish` for
 * `cloudwatch.amazonaws.com` ("Setting up Amazon SNS notifications").
 */
export const SnsTopicPolicyLetsAlarmsPublish: AwsRule = {
  name: 'SnsTopicPolicyLetsAlarmsPublish',
  level: NagMessageLevel.ERROR,
  info: 'CloudWatch alarms publish to this topic, but its AWS::SNS::TopicPolicy (which replaces the default policy) does not allow cloudwatch.amazonaws.com to sns:Publish.',
  doc: {
    title: 'Example cases for Amazon SNS access control',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html',
    sentence:
      'Amazon SNS grants a default policy to all newly created topics. The default policy grants access to your topic to all other AWS services.',
  },
  appliesTo: ['AWS::SNS::Topic'],
  check: (topic, model) => {
    if (alarmsActingOn(model, topic).length === 0) return NOT_APPLICABLE;
    const statements = resourcePolicyOf(model, topic);
    if (statements === undefined) return verdict(true);
    const arns = arnForms(model, topic);
    const applies = (s: (typeof statements)[number]) =>
      (s.anyPrincipal || s.services.includes('cloudwatch.amazonaws.com')) &&
      coversAction(s, 'sns:Publish') &&
      coversResource(s, arns);
    const allowed = statements.some((s) => s.effect === 'Allow' && applies(s));
    const denied = statements.some(
      (s) => s.effect === 'Deny' && Object.keys(s.conditions).length === 0 && applies(s),
    );
    return verdict(allowed && !denied);
  },
};
