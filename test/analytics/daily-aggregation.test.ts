import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Catalog } from '../../lib/analytics/catalog';
import { DailyAggregation } from '../../lib/analytics/daily-aggregation';
import { aggregateLayout } from '../../core/analytics/daily-aggregation';
import { dailyWorkflowDefinition } from '../../core/analytics/daily-workflow/definition';
import { DATA_CLASS_TAG } from '../../core/audit/data-class';
import { FUNCTION_ARN, renderDefinition } from '../support/state-machine';
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
  for (const alarm of [
    job.missedDayAlarm,
    job.refusedPublicationAlarm,
    job.recordsAfterFinalAlarm,
    job.recordsWithoutCertificateAlarm,
    job.workflow.failedExecutionAlarm,
  ])
    alarm.addAlarmAction(new actions.SnsAction(topic));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  app.synth();
  return { job, template: Template.fromStack(stack), dataTemplate: Template.fromStack(data) };
}

describe('DailyAggregation', () => {
  const { template, dataTemplate } = deploy();

  it('starts the workflow every day at 03:15 UTC with its scheduled time, retried, dead letters kept', () => {
    const machine = template.findResources('AWS::StepFunctions::StateMachine');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 3 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: {
        Arn: { Ref: Object.keys(machine)[0] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        // The plan refuses a scheduled time older than this (MAX_SCHEDULED_AGE_HOURS).
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
    // One path only: no schedule or rule invokes the function itself, and nothing invokes it asynchronously.
    expect(Object.keys(template.findResources('AWS::Scheduler::Schedule'))).toHaveLength(1);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!;
    expect(fn.Properties.DeadLetterConfig).toBeUndefined();
  });

  it('deploys the core definition itself, the task function being the handler', () => {
    const handlerId = Object.keys(template.findResources('AWS::Lambda::Function'))[0]!;
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const deployed = JSON.parse(renderDefinition(machine.Properties.DefinitionString, handlerId));
    expect(deployed).toEqual(dailyWorkflowDefinition({ functionArn: FUNCTION_ARN }));
    expect(machine.Properties).toMatchObject({
      StateMachineName: 'logvault-dev-daily-job',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: false },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it("gives the workflow's role invoke on the handler and query state in the jobs workgroup, no data action", () => {
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap(
        (p) =>
          p.Properties.PolicyDocument.Statement as {
            Action: string | string[];
            Resource: unknown;
          }[],
      );
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => /^(s3|glue|kms|athena):/.test(a))).toEqual([
      'athena:GetQueryExecution',
    ]);
    const poll = statements.find((s) => s.Action === 'athena:GetQueryExecution')!;
    expect(JSON.stringify(poll.Resource)).toContain(':workgroup/logvault-dev-jobs');
    // On "*" only the log-delivery actions, which take no resource (Step Functions logging).
    const onAny = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(
      onAny.every((a) => /^logs:\w*(LogDelivery|LogDeliveries|ResourcePolic|LogGroups)/.test(a)),
    ).toBe(true);
  });

  it('logs executions to a KMS-encrypted, operational log group kept three months', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/logvault/dev/states/daily-job',
      RetentionInDays: 90,
      KmsKeyId: Match.anyValue(),
      Tags: Match.arrayWith([{ Key: DATA_CLASS_TAG, Value: 'operational' }]),
    });
  });

  it('alarms when an execution fails, times out or is aborted', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'logvault-dev daily workflow execution failed',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'failed + timedOut + aborted' }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }),
          }),
        }),
      ]),
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
      '-aggregates/ocsp_cert_rank_daily/*',
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
        Rules: [
          { Id: 'DropReplacedVersions', Prefix: 'ocsp_cert_daily/' },
          { Id: 'DropReplacedRankVersions', Prefix: 'ocsp_cert_rank_daily/' },
        ],
      },
    });
  });
});
