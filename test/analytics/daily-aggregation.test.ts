import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Catalog } from '../../lib/analytics/catalog';
import { DailyAggregation } from '../../lib/analytics/daily-aggregation';
import { aggregateLayout } from '../../core/analytics/daily-aggregation';
import { newLogvaultApp } from '../../lib/app';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { DataStack } from '../../lib/stacks/data-stack';
import { AlarmFactory } from '../../lib/monitoring/alarm-factory';

/** The construct in a stack of its own beside the real data stack, cdk-nag attached. */
function deploy() {
  const app = newLogvaultApp();
  const config = loadStageConfig('dev');
  const data = new DataStack(app, 'Data', { config });
  const stack = new Stack(app, 'Analytics');
  const job = new DailyAggregation(stack, 'Daily', {
    stage: 'dev',
    catalog: new Catalog(stack, 'Catalog', {
      config,
      ocspRawLogs: data.ocspRawLogs,
      subscriberArchive: data.subscriberArchive,
      aggregates: data.aggregates,
      queryResults: data.queryResults,
      storageKey: data.storageKey,
    }),
    rawLogExpiryDays: config.ocsp.rawLogExpiryDays,
    publication: config.analytics.publication,
    encryptionKey: data.storageKey,
    alarms: new AlarmFactory('dev'),
  });
  // The stage's monitoring gives every alarm of the factory its action (LogvaultMonitoring).
  const topic = new sns.Topic(stack, 'Alarms', { masterKey: data.storageKey, enforceSSL: true });
  for (const alarm of [job.missedDayAlarm, job.refusedPublicationAlarm, job.recordsAfterFinalAlarm])
    alarm.addAlarmAction(new actions.SnsAction(topic));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  app.synth();
  return { job, template: Template.fromStack(stack), dataTemplate: Template.fromStack(data) };
}

describe('DailyAggregation', () => {
  const { template, dataTemplate } = deploy();

  it('runs the handler every day at 03:15 UTC with no day (the handler takes yesterday)', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 3 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: { Input: '{}', RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
  });

  it('alarms when no day was written in 24 hours, missing data included', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DailyAggregatesWritten',
      Namespace: 'Logvault',
      Dimensions: [{ Name: 'Stage', Value: 'dev' }],
      Period: 86400,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('writes each day where the ocsp_cert_daily table projects its partitions', () => {
    const table = Object.values(template.findResources('AWS::Glue::Table')).find(
      (t) => t.Properties.TableInput.Name === 'ocsp_cert_daily',
    )!;
    const location = JSON.stringify(
      table.Properties.TableInput.Parameters['storage.location.template'],
    );
    expect(location).toContain(`/${aggregateLayout.aggregate('${day}')}`);
  });

  it("queries through Athena in the jobs workgroup (not the analysts') with the catalog names", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          LOGVAULT_QUERY_ENGINE: 'athena',
          LOGVAULT_GLUE_DATABASE: 'logvault_dev',
          ATHENA_WORKGROUP: 'logvault-dev-jobs',
          RAW_LOG_EXPIRY_DAYS: '5',
        },
      },
    });
  });

  it('grants exact actions, and writes only the aggregate and publish prefixes', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    const writes = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    const prefixes = JSON.stringify(writes.map((s) => s.Resource)).match(/-(\w[\w-]*\/[\w/]*)\*/g);
    expect(prefixes).toEqual([
      '-aggregates/ocsp_cert_daily/*',
      '-aggregates/publish/*',
      '-query-results/athena/*',
    ]);
  });

  it('may not delete anything it published', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const deletes = statements.filter((s) => [s.Action].flat().includes('s3:DeleteObject'));
    expect(JSON.stringify(deletes.map((s) => s.Resource))).not.toContain('publish/');
  });

  it.each([
    ['PublicationsRefused', 'GreaterThanOrEqualToThreshold'],
    ['OcspRecordsAfterFinal', 'GreaterThanOrEqualToThreshold'],
  ])('alarms on %s', (metric, comparison) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metric,
      Namespace: 'Logvault',
      Threshold: 1,
      ComparisonOperator: comparison,
    });
  });

  it("passes the stage's publication parameters to the job", () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.PUBLICATION_PARAMETERS,
    )!;
    expect(JSON.parse(fn.Properties.Environment.Variables.PUBLICATION_PARAMETERS)).toEqual(
      loadStageConfig('dev').analytics.publication,
    );
  });

  // AWS "Enforce conditional writes on Amazon S3 buckets": the condition key
  // s3:if-none-match is absent (Null true) on a PutObject without the header.
  // moto enforces no bucket policy: only a real account proves the refusal.
  it('the aggregates bucket refuses deletes and unconditional puts under publish/, for everyone', () => {
    const policy = Object.values(dataTemplate.findResources('AWS::S3::BucketPolicy'))
      .map((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[])
      .find((st) => st.some((x) => x.Sid === 'PublishedDaysAreWrittenOnce'))!;
    expect(policy.find((x) => x.Sid === 'PublishedDaysAreNeverDeleted')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
    const once = policy.find((x) => x.Sid === 'PublishedDaysAreWrittenOnce')!;
    expect(once).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Condition: { Null: { 's3:if-none-match': 'true' } },
    });
    expect(JSON.stringify(once.Resource)).toContain('"/publish/*"');
    // The version history under publish/ is never pruned: it is what refuses a deleted day.
    dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'DropReplacedVersions', Prefix: 'ocsp_cert_daily/' }],
      },
    });
  });
});
