import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { StageConfig } from '../../core/config/stage-config';
import { STAGING_TABLE_PREFIX, glueTables, prefixes } from '../../core/naming';
import { functionEnvironment } from '../compute/function-environment';
import { bucketBinding, stageBucket } from '../compute/grants';
import { LoggedFunction } from '../compute/logged-function';
import { AlarmFactory } from '../monitoring/alarm-factory';
import { Catalog } from './catalog';
import { DailyWorkflow } from './daily-workflow';
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
  /**
   * Seconds between two polls of a running query by the workflow.
   * @default 15
   */
  readonly pollSeconds?: number;
}

/**
 * The daily job: an EventBridge Scheduler schedule starts the Step Functions
 * workflow (DailyWorkflow), whose tasks are the phases of the `aggregate-daily`
 * function; it finalises the latest final day (exact aggregate, one
 * publication, records after final) and aggregates yesterday provisionally,
 * while Step Functions, not the function, waits for Athena. Alarms fire when
 * a day goes by without a finalised day, when a publication is refused and
 * when records arrive after their day was final.
 */
export class DailyAggregation extends Construct {
  /** The function whose phases are the workflow's tasks. */
  public readonly handler: LoggedFunction;
  /** The state machine, its role, logs, schedule and failed-execution alarm. */
  public readonly workflow: DailyWorkflow;
  /** Fires when no day was materialised in the last 24 hours. */
  public readonly missedDayAlarm: cloudwatch.Alarm;
  /** Fires when a final day's publication was refused (its object deleted or replaced). */
  public readonly refusedPublicationAlarm: cloudwatch.Alarm;
  /** Fires when records arrived after their day was final, so no aggregate counts them. */
  public readonly recordsAfterFinalAlarm: cloudwatch.Alarm;
  /** Fires when the OCSP raw bucket held records without a certificate (another log type's). */
  public readonly recordsWithoutCertificateAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DailyAggregationProps) {
    super(scope, id);
    this.handler = this.createHandler(props);
    this.workflow = new DailyWorkflow(this, 'Workflow', {
      stage: props.stage,
      handler: this.handler.function,
      jobsWorkGroupName: props.catalog.jobsWorkGroupName,
      encryptionKey: props.encryptionKey,
      alarms: props.alarms,
      runAt: props.runAt,
      pollSeconds: props.pollSeconds,
    });
    this.missedDayAlarm = props.alarms.alarm(this, 'aggregation missed a day', {
      description:
        'No day was aggregated in the last 24 hours (the daily workflow did not run or failed ' +
        'before its report). Raw OCSP logs expire: start the workflow with {"day": "YYYY-MM-DD"} ' +
        'or run `logvault aggregate --day YYYY-MM-DD` while the day is still in the raw window.',
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
    this.recordsWithoutCertificateAlarm = props.alarms.alarm(this, 'records without certificate', {
      description:
        'The OCSP raw bucket held records of the final day with no serial or issuer key hash: ' +
        'records of another type, most likely ACME events a producer sent to an OCSP stream with ' +
        'its own shipper. They count for no certificate and expire with raw OCSP logs ' +
        `(${props.rawLogExpiryDays} days after arrival), while the policy keeps ACME events for ` +
        'years. Find the producer (the objects under ocsp/ of that day name their stream; ' +
        'docs/ingestion.md, "A record of the wrong type"), fix its stream, and re-ship the ' +
        "events from its host to an ACME stream before the raw bucket's expiry.",
      metric: props.alarms.metrics.own('ocspRecordsWithoutCertificate'),
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
      // No phase waits for a query (Step Functions polls); publish's finish reads and writes
      // a whole day's release, which grows with the number of certificates.
      timeout: Duration.minutes(15),
      reservedConcurrency: 1,
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
}
