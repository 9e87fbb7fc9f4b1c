import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { alarmsActingOn } from '../support/delivery';
import { listOf } from '../support/props';

/**
 * A topic that alarms publish to reaches no one without a subscription:
 * "Amazon CloudWatch uses Amazon SNS to send email. First, create and
 * subscribe to an SNS topic." (Amazon CloudWatch User Guide, "Setting up
 * Amazon SNS notifications"). Subscriptions made outside the template (a
 * pager integration) are acknowledged on the topic with the reason.
 */
export const SnsAlarmTopicHasSubscriber: AwsRule = {
  name: 'SnsAlarmTopicHasSubscriber',
  level: NagMessageLevel.ERROR,
  info: 'CloudWatch alarms publish to this topic, but nothing in the app subscribes to it: alarms reach no one.',
  doc: {
    title: 'Setting up Amazon SNS notifications (Amazon CloudWatch)',
    url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/US_SetupSNS.html',
    sentence:
      'Amazon CloudWatch uses Amazon SNS to send email. First, create and subscribe to an SNS topic.',
  },
  appliesTo: ['AWS::SNS::Topic'],
  check: (topic, model) => {
    if (alarmsActingOn(model, topic).length === 0) return NOT_APPLICABLE;
    const inline = listOf(topic.properties.Subscription).length > 0;
    const separate = model
      .resources('AWS::SNS::Subscription')
      .some((s) => model.target(s.properties.TopicArn, s) === topic);
    return verdict(inline || separate);
  },
};
