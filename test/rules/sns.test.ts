import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { SnsAlarmTopicHasSubscriber } from '../../lib/rules/sns/SnsAlarmTopicHasSubscriber';
import { SnsAlarmTopicKeyAllowsCloudWatch } from '../../lib/rules/sns/SnsAlarmTopicKeyAllowsCloudWatch';
import { SnsTopicPolicyLetsAlarmsPublish } from '../../lib/rules/sns/SnsTopicPolicyLetsAlarmsPublish';
import { finding, findingsOf } from './fixture';

const TOPIC = 'Fixture/Topic/Resource';

/** An alarm whose action is `topic`, as logvault's monitoring wires it. */
function alarmOn(stack: Stack, topic: sns.ITopic) {
  const metric = new cloudwatch.Metric({ namespace: 'Logvault', metricName: 'Anything' });
  new cloudwatch.Alarm(stack, 'Alarm', {
    metric,
    threshold: 1,
    evaluationPeriods: 1,
  }).addAlarmAction(new SnsAction(topic));
}

function letCloudWatchUse(key: kms.Key) {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
}

describe('SnsAlarmTopicKeyAllowsCloudWatch (finding 1)', () => {
  const rule = SnsAlarmTopicKeyAllowsCloudWatch;

  it('fires on an alarm topic whose key policy leaves CloudWatch out', () => {
    const found = findingsOf(rule, (stack) => {
      alarmOn(stack, new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'Key') }));
    });
    expect(found).toEqual([finding(rule, TOPIC)]);
  });

  it('fires on an alarm topic encrypted with the AWS managed key, whose policy cannot be changed', () => {
    const found = findingsOf(rule, (stack) => {
      const managed = kms.Alias.fromAliasName(stack, 'Managed', 'alias/aws/sns');
      alarmOn(stack, new sns.Topic(stack, 'Topic', { masterKey: managed }));
    });
    expect(found).toEqual([finding(rule, TOPIC)]);
  });

  it('passes when the key policy lets cloudwatch.amazonaws.com decrypt and generate data keys', () => {
    const found = findingsOf(rule, (stack) => {
      const key = new kms.Key(stack, 'Key');
      letCloudWatchUse(key);
      alarmOn(stack, new sns.Topic(stack, 'Topic', { masterKey: key }));
    });
    expect(found).toEqual([]);
  });

  it('ignores an encrypted topic no alarm publishes to', () => {
    const found = findingsOf(rule, (stack) => {
      new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'Key') });
    });
    expect(found).toEqual([]);
  });
});

describe('SnsTopicPolicyLetsAlarmsPublish (finding 1)', () => {
  const rule = SnsTopicPolicyLetsAlarmsPublish;

  it('fires when a topic policy holding only the TLS deny replaces the default policy', () => {
    const found = findingsOf(rule, (stack) => {
      alarmOn(stack, new sns.Topic(stack, 'Topic', { enforceSSL: true }));
    });
    expect(found).toEqual([finding(rule, TOPIC)]);
  });

  it('passes when the topic policy allows cloudwatch.amazonaws.com to publish', () => {
    const found = findingsOf(rule, (stack) => {
      const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
        }),
      );
      alarmOn(stack, topic);
    });
    expect(found).toEqual([]);
  });

  it("passes when no topic policy replaces SNS's default one", () => {
    const found = findingsOf(rule, (stack) => alarmOn(stack, new sns.Topic(stack, 'Topic')));
    expect(found).toEqual([]);
  });
});

describe('SnsAlarmTopicHasSubscriber (finding 1: prod has no subscriber)', () => {
  const rule = SnsAlarmTopicHasSubscriber;

  it('fires on an alarm topic nobody subscribes to', () => {
    const found = findingsOf(rule, (stack) => alarmOn(stack, new sns.Topic(stack, 'Topic')));
    expect(found).toEqual([finding(rule, TOPIC)]);
  });

  it('passes once an e-mail address subscribes', () => {
    const found = findingsOf(rule, (stack) => {
      const topic = new sns.Topic(stack, 'Topic');
      topic.addSubscription(new EmailSubscription('oncall@example.org'));
      alarmOn(stack, topic);
    });
    expect(found).toEqual([]);
  });
});
