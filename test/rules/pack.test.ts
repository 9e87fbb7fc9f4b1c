import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { readdirSync } from 'fs';
import { allRules } from '../../lib/rules/all-rules';
import { awsRuleFindings } from '../../lib/rules/findings';
import { LogvaultAwsChecks } from '../../lib/rules/logvault-aws-checks';
import { explanationOf } from '../../lib/rules/rule';
import { SnsAlarmTopicKeyAllowsCloudWatch } from '../../lib/rules/sns/SnsAlarmTopicKeyAllowsCloudWatch';
import { finding, findingsOf } from './fixture';

/** An alarm topic whose key lets CloudWatch in, as the fix for finding 1 will make it. */
function alarmTopic(stack: Stack) {
  const key = new kms.Key(stack, 'Key');
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
  const metric = new cloudwatch.Metric({ namespace: 'Logvault', metricName: 'Anything' });
  new cloudwatch.Alarm(stack, 'Alarm', {
    metric,
    threshold: 1,
    evaluationPeriods: 1,
  }).addAlarmAction(new SnsAction(topic));
  return { key, topic };
}

describe('LogvaultAwsChecks', () => {
  it('fails the synth like the cdk-nag packs when registered as a validation plugin', () => {
    const app = new App();
    const stack = new Stack(app, 'Fixture');
    const topic = new sns.Topic(stack, 'Topic', { masterKey: new kms.Key(stack, 'Key') });
    topic.addSubscription(new EmailSubscription('oncall@example.org'));
    const metric = new cloudwatch.Metric({ namespace: 'Logvault', metricName: 'Anything' });
    new cloudwatch.Alarm(stack, 'Alarm', {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
    }).addAlarmAction(new SnsAction(topic));
    Validations.of(app).addPlugins(new LogvaultAwsChecks());
    expect(() => app.synth()).toThrow(/LogvaultAws-SnsAlarmTopicKeyAllowsCloudWatch/);
  });

  it('takes an acknowledgement with its reason for exactly the acknowledged rule', () => {
    const app = new App();
    const stack = new Stack(app, 'Fixture');
    const { topic } = alarmTopic(stack);
    Validations.of(topic).acknowledge({
      id: 'LogvaultAws-SnsAlarmTopicHasSubscriber',
      reason: 'The pager integration subscribes outside the template.',
    });
    app.synth();
    const ids = awsRuleFindings(app).map((f) => f.ruleId);
    expect(ids).not.toContain('LogvaultAws-SnsAlarmTopicHasSubscriber');
    expect(ids).not.toContain('LogvaultAws-SnsAlarmTopicKeyAllowsCloudWatch');
  });

  it('sees an escape hatch that overrides the key policy back to the account statement alone', () => {
    const rule = SnsAlarmTopicKeyAllowsCloudWatch;
    const found = findingsOf(rule, (stack) => {
      const { key } = alarmTopic(stack);
      (key.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement', [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${stack.account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ]);
    });
    expect(found).toEqual([finding(rule, 'Fixture/Topic/Resource')]);
  });

  it('keeps one rule per file named for it, each with an AWS documentation URL, page title and quoted sentence', () => {
    const names = allRules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const files = readdirSync('lib/rules', { recursive: true, encoding: 'utf8' })
      .filter((f) => /^(?!support\/)\w+\/\w+\.ts$/.test(f))
      .map((f) => f.replace(/^\w+\/(\w+)\.ts$/, '$1'));
    expect(files.sort()).toEqual([...names].sort());
    for (const rule of allRules) {
      expect(rule.doc.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(rule.doc.title.length).toBeGreaterThan(5);
      expect(explanationOf(rule)).toContain(rule.doc.sentence);
    }
  });
});
