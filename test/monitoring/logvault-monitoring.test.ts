import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { newLogvaultApp, templatesOnly } from '../../lib/app';
import { LoggedFunction } from '../../lib/compute/logged-function';
import { functionEnvironment } from '../../lib/compute/function-environment';
import { tableBinding } from '../../lib/compute/grants';
import { AlarmFactory } from '../../lib/monitoring/alarm-factory';
import {
  LogvaultMonitoring,
  LogvaultMonitoringProps,
} from '../../lib/monitoring/logvault-monitoring';

/** Builds the construct in a bare stack around stand-in resources, the way the compute stack does. */
function deploy(overrides: Partial<LogvaultMonitoringProps> = {}): Template {
  const app = newLogvaultApp(templatesOnly);
  const stack = new Stack(app, 'Monitored');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = (id: string) => s3.Bucket.fromBucketName(stack, id, `bucket-${id.toLowerCase()}`);
  const registry = { table: dynamodb.Table.fromTableName(stack, 'Registry', 'registry'), key };
  const handler = new LoggedFunction(stack, 'Handler', {
    stage: 'test',
    name: 'hold-status',
    description: 'a watched handler',
    encryptionKey: key,
    logRetention: logs.RetentionDays.FIVE_DAYS,
    environment: functionEnvironment('hold-status', {
      HOLD_REGISTRY_TABLE: tableBinding(registry, {}),
      HOLD_AUDIT_TABLE: tableBinding(registry, {}),
    }),
  });
  new LogvaultMonitoring(stack, 'Monitoring', {
    stage: 'test',
    encryptionKey: key,
    deliveryStreamNames: ['logvault-test-ocsp-1', 'logvault-test-acme-1'],
    functions: [handler.function],
    ocspPlaces: [
      { place: 'ocsp-raw', bucket: bucket('Raw') },
      { place: 'query-results', bucket: bucket('Results') },
    ],
    archive: bucket('Archive'),
    investigations: bucket('Investigations'),
    holdRegistry: registry,
    alarms: new AlarmFactory('test'),
    logRetention: logs.RetentionDays.THREE_MONTHS,
    ...overrides,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  app.synth();
  return Template.fromStack(stack);
}

describe('LogvaultMonitoring', () => {
  const template = deploy({ alarmEmail: 'oncall@example.org' });

  it('alarms on freshness, delivery failures and throttling of every stream', () => {
    for (const stream of ['logvault-test-ocsp-1', 'logvault-test-acme-1']) {
      for (const metric of [
        'DeliveryToS3.DataFreshness',
        'DeliveryToS3.Success',
        'ThrottledRecords',
      ])
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [{ Name: 'DeliveryStreamName', Value: stream }],
        });
    }
  });

  it('alarms when any OCSP copy is older than 6.5 days, treating silence as a breach', () => {
    for (const place of ['ocsp-raw', 'query-results'])
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'OldestObjectAgeHours',
        Threshold: 156,
        TreatMissingData: 'breaching',
        Dimensions: Match.arrayWith([{ Name: 'Place', Value: place }]),
      });
  });

  it('alarms on any legal hold out of step with the registry, treating silence as a breach', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OrphanedHolds',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on errors and throttles of every handler, the monitor included', () => {
    const errors = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'Errors' },
    });
    const throttles = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'Throttles' },
    });
    expect(Object.keys(errors)).toHaveLength(2);
    expect(Object.keys(throttles)).toHaveLength(2);
  });

  it('sends every alarm to one encrypted topic with the configured subscriber', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(6 + 2 + 4 + 1 + 1 + 2);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.org',
    });
  });

  it('lets CloudWatch alarms of this stage and account publish, under the TLS deny (issue 12 #1)', () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policy!.Properties.PolicyDocument.Statement;
    const allow = statements.find((s: { Sid?: string }) => s.Sid === 'StageAlarmsPublish');
    expect(allow).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(allow.Condition.ArnLike['aws:SourceArn'])).toContain(
      ':alarm:logvault-test *',
    );
    expect(statements.some((s: { Effect: string }) => s.Effect === 'Deny')).toBe(true);
  });

  it('alarms on registry BatchWriteItem too, an operation the hold functions use (issue 12 #10)', () => {
    const alarms = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toContain('BatchWriteItem');
  });

  it('runs the retention monitor every hour, listing buckets and reading legal-hold flags only', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('s3:ListBucketVersions');
    expect(policies).toContain('s3:GetObjectLegalHold');
    // Never an object's content, never a change: the orphan check reads flags alone.
    expect(policies.replace(/s3:GetObjectLegalHold/g, '')).not.toMatch(/s3:(Get|Put|Delete)Object/);
  });

  it('alarms on hold registry errors and throttling', () => {
    const alarms = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toContain('hold registry has system errors');
    expect(alarms).toContain('hold registry throttles requests');
    expect(alarms).toContain('SystemErrors');
    expect(alarms).toContain('ThrottledRequests');
  });

  it('builds a dashboard with ingest, freshness, retention and case widgets', () => {
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const title of [
      'Ingest volume',
      'Delivery freshness',
      'Oldest OCSP copy',
      'Open cases',
      'Extracts of closed cases',
    ])
      expect(body).toContain(title);
  });

  it('leaves the topic without subscribers when no address is configured', () => {
    deploy().resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
