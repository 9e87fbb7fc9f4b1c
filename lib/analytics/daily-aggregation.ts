import { Construct } from 'constructs';
import { CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { LoggedFunction } from '../compute/logged-function';
import {
  BucketPurpose,
  METRIC_NAMESPACE,
  NAG_PLACEMENT,
  Placement,
  STAGING_TABLE_PREFIX,
  arns,
  bucketName,
  glueTables,
  metricDefinitions,
  prefixes,
  wildcardFindingId,
} from '../../core/naming';
import { DEPLOYED } from '../placement';
import { Catalog } from './catalog';

/** Tables and views the job reads by name. */
const READ_TABLES = [
  glueTables.ocspRequests,
  glueTables.ocspCertDaily,
  glueTables.publishedOcspCertDaily,
];

export interface DailyAggregationProps {
  readonly stage: string;
  /** Database, tables and workgroup the queries run in; they name tables unqualified. */
  readonly catalog: Catalog;
  /** Raw OCSP expiry of the stage; the job refuses days whose raw logs may be gone. */
  readonly rawLogExpiryDays: number;
  /** Key of the buckets, the function's logs and its dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  /** Name of the aggregates bucket (ocsp_cert_daily partitions, publish prefix). */
  readonly aggregatesBucketName: string;
  /**
   * When the job runs, UTC. Must come after the last partition hour a day
   * reads (01:00 the next day) plus Firehose's 15-minute buffer.
   * @default 03:15 UTC
   */
  readonly runAt?: { readonly hour: number; readonly minute: number };
}

/**
 * The daily per-certificate aggregation: an EventBridge Scheduler schedule
 * invokes the `aggregate-daily` function, which materialises yesterday into
 * ocsp_cert_daily and exports the published dataset through Athena. An alarm
 * fires when a day goes by without a materialised day.
 */
export class DailyAggregation extends Construct {
  public readonly handler: LoggedFunction;
  public readonly schedule: scheduler.Schedule;
  /** Fires when no day was materialised in the last 24 hours; give it an action. */
  public readonly missedDayAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DailyAggregationProps) {
    super(scope, id);
    const runAt = props.runAt ?? { hour: 3, minute: 15 };
    this.handler = new LoggedFunction(this, 'Handler', {
      stage: props.stage,
      name: 'aggregate-daily',
      description: 'Materialises yesterday into ocsp_cert_daily and exports the published dataset',
      encryptionKey: props.encryptionKey,
      // Identifiers, counts and query ids only: engine errors are not logged verbatim.
      logDataClass: 'operational',
      logRetention: logs.RetentionDays.THREE_MONTHS,
      timeout: Duration.minutes(15),
      reservedConcurrency: 1,
      asyncDeadLetterQueue: true,
      environment: {
        LOGVAULT_QUERY_ENGINE: 'athena',
        LOGVAULT_GLUE_DATABASE: props.catalog.databaseName,
        ATHENA_WORKGROUP: props.catalog.workGroupName,
        AGGREGATES_BUCKET: props.aggregatesBucketName,
        RAW_LOG_EXPIRY_DAYS: String(props.rawLogExpiryDays),
      },
    });
    this.grantQueries(props);

    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': DEPLOYED.account } },
      }),
      description: `logvault-${props.stage}: invokes aggregate-daily on schedule`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `logvault ${props.stage}: aggregate yesterday's OCSP requests`,
      schedule: scheduler.ScheduleExpression.cron({
        hour: String(runAt.hour),
        minute: String(runAt.minute),
        timeZone: TimeZone.ETC_UTC,
      }),
      target: new targets.LambdaInvoke(this.handler.function, {
        // No day: the handler takes yesterday (UTC) at the time it runs.
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
        deadLetterQueue: this.handler.deadLetterQueue,
        role: scheduleRole,
      }),
    });
    const functionId = Stack.of(this).resolve(
      (this.handler.function.node.defaultChild as CfnElement).logicalId,
    );
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on this one function, any version or alias of it.',
    });
    Validations.of(scheduleRole).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The role exists for this one schedule; a managed policy would add no reuse.',
    });

    this.missedDayAlarm = new cloudwatch.Alarm(this, 'MissedDay', {
      alarmName: `logvault-${props.stage}-aggregation-missed-day`,
      alarmDescription:
        'No day was aggregated in the last 24 hours. Raw OCSP logs expire: backfill with ' +
        '`logvault aggregate --day YYYY-MM-DD` while the day is still in the raw window.',
      metric: new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: metricDefinitions.daysAggregated.name,
        dimensionsMap: { Stage: props.stage },
        statistic: 'Sum',
        period: Duration.days(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means the job did not run or did not finish.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  /** Exactly what the aggregation and export queries touch, and nothing else. */
  private grantQueries(props: DailyAggregationProps): void {
    const role = this.handler.role;
    const { catalog } = props;
    const glueCatalog = arns.glueCatalog(DEPLOYED);
    const bucket = (purpose: BucketPurpose, at: Placement = DEPLOYED) =>
      arns.bucket(at, bucketName(props.stage, purpose, at));
    const nagBucket = (purpose: BucketPurpose) => bucket(purpose, NAG_PLACEMENT);
    const allow = (actions: string[], resources: string[], conditions?: iam.Conditions) =>
      role.addToPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    const stagingTables = catalog.tableArn(`${STAGING_TABLE_PREFIX}*`);

    allow(
      [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      [catalog.workGroupArn],
    );
    // Athena's documented minimum for SELECT on catalog tables and views.
    allow(
      ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      [
        glueCatalog,
        catalog.databaseArn,
        ...READ_TABLES.map((t) => catalog.tableArn(t)),
        stagingTables,
      ],
    );
    // CTAS creates a staging table per step and day; the job drops it again
    // (Athena's DROP TABLE also asks to delete partitions, of which these have none).
    allow(
      ['glue:CreateTable', 'glue:DeleteTable', 'glue:BatchDeletePartition'],
      [glueCatalog, catalog.databaseArn, stagingTables],
    );

    allow(['s3:GetObject'], [`${bucket('ocsp-raw')}/${prefixes.ocsp}*`]);
    allow(
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      [
        `${bucket('aggregates')}/${prefixes.ocspCertDaily}*`,
        `${bucket('aggregates')}/${prefixes.publish}*`,
      ],
    );
    allow(
      ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      [`${bucket('query-results')}/${prefixes.athenaResults}*`],
    );
    allow(
      ['s3:ListBucket', 's3:GetBucketLocation'],
      [bucket('ocsp-raw'), bucket('aggregates'), bucket('query-results')],
    );
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [props.encryptionKey.keyArn]);
    allow(['cloudwatch:PutMetricData'], ['*'], {
      StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE },
    });

    const ack = (resource: string, reason: string) =>
      Validations.of(role).acknowledge({ id: wildcardFindingId(resource), reason });
    ack(
      arns.glueTable(NAG_PLACEMENT, catalog.databaseName, `${STAGING_TABLE_PREFIX}*`),
      'CTAS staging tables are named per step and day (ocsp_cert_daily_job_load_20261127); the job creates and drops them.',
    );
    ack(
      `${nagBucket('ocsp-raw')}/${prefixes.ocsp}*`,
      'Reads every raw OCSP object of the day being aggregated; keys carry Firehose timestamps known only at run time.',
    );
    ack(
      `${nagBucket('aggregates')}/${prefixes.ocspCertDaily}*`,
      'Replaces the files of one ocsp_cert_daily partition per run; file names are chosen by the engine.',
    );
    ack(
      `${nagBucket('aggregates')}/${prefixes.publish}*`,
      'Replaces one day of the published dataset per run; file names are chosen by the engine.',
    );
    ack(
      `${nagBucket('query-results')}/${prefixes.athenaResults}*`,
      'Athena writes and the job reads query results under ids known only at run time; the bucket expires them after a day.',
    );
    ack(
      '*',
      'cloudwatch:PutMetricData has no resource-level permissions; the condition limits it to the Logvault namespace.',
    );
  }
}
