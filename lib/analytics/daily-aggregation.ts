import { Construct } from 'constructs';
import { CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { StageConfig } from '../../core/config/stage-config';
import { STAGING_TABLE_PREFIX, glueTables, prefixes } from '../../core/naming';
import { functionEnvironment } from '../compute/function-environment';
import { bucketBinding, grantSendToEncryptedQueue, stageBucket } from '../compute/grants';
import { LoggedFunction } from '../compute/logged-function';
import { AlarmFactory } from '../monitoring/alarm-factory';
import { DEPLOYED } from '../placement';
import { Catalog } from './catalog';
import { athenaQueryVariables } from './query-access';

export interface DailyAggregationProps {
  readonly stage: string;
  /** Database, tables and workgroup the queries run in; they name tables unqualified. */
  readonly catalog: Catalog;
  /** Raw OCSP expiry of the stage; the job refuses days whose raw logs may be gone. */
  readonly rawLogExpiryDays: number;
  /** Bounds, privacy loss and lateness of the published dataset (stage config). */
  readonly publication: StageConfig['analytics']['publication'];
  /** Key of the buckets, the function's logs and its dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  /** The stage's alarms; the job adds the missed-day, refused-publication and late-record alarms. */
  readonly alarms: AlarmFactory;
  /**
   * When the job runs, UTC. Must come after the time of day a day becomes
   * final (core/time/finality.ts: 00:15 with 24 lateness hours).
   * @default 03:15 UTC
   */
  readonly runAt?: { readonly hour: number; readonly minute: number };
}

/**
 * The daily job (core/analytics/daily-job.ts): an EventBridge Scheduler
 * schedule invokes the `aggregate-daily` function, which finalises the latest
 * final day (exact aggregate, one publication, records after final) and
 * aggregates yesterday provisionally. Alarms fire when a day goes by without
 * a finalised day, when a publication is refused and when records arrive
 * after their day was final.
 */
export class DailyAggregation extends Construct {
  public readonly handler: LoggedFunction;
  public readonly schedule: scheduler.Schedule;
  /** Fires when no day was materialised in the last 24 hours. */
  public readonly missedDayAlarm: cloudwatch.Alarm;
  /** Fires when a final day's publication was refused (its object deleted or replaced). */
  public readonly refusedPublicationAlarm: cloudwatch.Alarm;
  /** Fires when records arrived after their day was final, so no aggregate counts them. */
  public readonly recordsAfterFinalAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DailyAggregationProps) {
    super(scope, id);
    this.handler = this.createHandler(props);
    this.schedule = this.createSchedule(props);
    this.missedDayAlarm = props.alarms.alarm(this, 'aggregation missed a day', {
      description:
        'No day was aggregated in the last 24 hours. Raw OCSP logs expire: backfill with ' +
        '`logvault aggregate --day YYYY-MM-DD` while the day is still in the raw window.',
      metric: props.alarms.metrics.own('daysAggregated'),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data means the job did not run or did not finish.
      missingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.refusedPublicationAlarm = props.alarms.alarm(this, 'publication refused', {
      description:
        "A final day's published object was deleted or replaced, so the day is not published " +
        'again (two noisy versions of a day reveal more than one). Find out who changed publish/.',
      metric: props.alarms.metrics.own('publicationsRefused'),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.recordsAfterFinalAlarm = props.alarms.alarm(this, 'records after final', {
      description:
        'OCSP records arrived after their day was final: no aggregate counts them. Look for a ' +
        'shipper backlog or a responder clock far off (docs/analytics.md, "When a day is final").',
      metric: props.alarms.metrics.own('ocspRecordsAfterFinal'),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The job, granted exactly what the aggregation and export queries touch. */
  private createHandler(props: DailyAggregationProps): LoggedFunction {
    const { catalog } = props;
    // By its fixed name: the job's grants need no reference to the data stack.
    const aggregates = stageBucket(props.stage, 'aggregates', props.encryptionKey);
    const replace = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];
    // Written once with If-None-Match and read back; never deleted (the bucket policy denies it).
    const publishOnce = ['s3:GetObject', 's3:PutObject'];
    return new LoggedFunction(this, 'Handler', {
      stage: props.stage,
      name: 'aggregate-daily',
      description:
        'Finalises and publishes the latest final day; aggregates yesterday provisionally',
      encryptionKey: props.encryptionKey,
      // Identifiers, counts and query ids only: engine errors are not logged verbatim.
      logDataClass: 'operational',
      logRetention: logs.RetentionDays.THREE_MONTHS,
      timeout: Duration.minutes(15),
      reservedConcurrency: 1,
      asyncDeadLetterQueue: true,
      environment: functionEnvironment('aggregate-daily', {
        AGGREGATES_BUCKET: bucketBinding(aggregates, {
          objects: [
            {
              prefix: prefixes.ocspCertDaily,
              actions: replace,
              why: 'Replaces the files of one ocsp_cert_daily partition per run; file names are chosen by the engine.',
            },
            {
              prefix: prefixes.ocspCertRankDaily,
              actions: replace,
              why: 'Replaces the files of one ocsp_cert_rank_daily partition per run; file names are chosen by the engine.',
            },
            {
              prefix: prefixes.publish,
              actions: publishOnce,
              why: 'Writes each final day once (data object and its metadata sidecar), keys named per day.',
            },
          ],
          bucket: {
            // Versioning status and version history: a deleted or replaced day is never republished.
            actions: [
              's3:ListBucket',
              's3:GetBucketLocation',
              's3:GetBucketVersioning',
              's3:ListBucketVersions',
            ],
          },
        }),
        ...athenaQueryVariables({
          stage: props.stage,
          workGroup: catalog.jobsWorkGroupName,
          database: catalog.databaseName,
          key: props.encryptionKey,
          reads: [glueTables.ocspRequests, glueTables.ocspCertDaily, glueTables.ocspCertRankDaily],
          scratch: {
            pattern: `${STAGING_TABLE_PREFIX}*`,
            why: 'CTAS staging tables are named per step and day (ocsp_cert_daily_job_load_20261127); the job creates and drops them.',
          },
          rawReadWhy:
            'Reads every raw OCSP object of the day being aggregated; keys carry Firehose timestamps known only at run time.',
        }),
        RAW_LOG_EXPIRY_DAYS: String(props.rawLogExpiryDays),
        PUBLICATION_PARAMETERS: JSON.stringify(props.publication),
      }),
    });
  }

  private createSchedule(props: DailyAggregationProps): scheduler.Schedule {
    const runAt = props.runAt ?? { hour: 3, minute: 15 };
    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': DEPLOYED.account } },
      }),
      description: `logvault ${props.stage}: invokes aggregate-daily on schedule`,
    });
    // Scheduler sends undeliverable invocations as this role: the queue and its key.
    grantSendToEncryptedQueue(role, this.handler.deadLetterQueue!);
    const schedule = new scheduler.Schedule(this, 'Schedule', {
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
        role,
      }),
    });
    const functionId = Stack.of(this).resolve(
      (this.handler.function.node.defaultChild as CfnElement).logicalId,
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on this one function, any version or alias of it.',
    });
    Validations.of(role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The role exists for this one schedule; a managed policy would add no reuse.',
    });
    return schedule;
  }
}
