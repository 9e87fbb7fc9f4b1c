import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { LoggedFunction } from '../compute/logged-function';
import {
  METRIC_NAMESPACE,
  alarmName,
  alarmTopicName,
  arns,
  dashboardName,
  registryIndexes,
} from '../../core/naming';
import { LogvaultMetrics } from './logvault-metrics';

/** A bucket whose oldest copy the retention monitor measures. */
export interface WatchedBucket {
  /** Name used in the metric dimension and on the dashboard, e.g. `ocsp-raw`. */
  readonly place: string;
  readonly bucket: s3.IBucket;
  /** @default false */
  readonly versioned?: boolean;
}

export interface LogvaultMonitoringProps {
  readonly stage: string;
  /** Encrypts the alarm topic and the monitor's logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * E-mail address subscribed to every alarm.
   * @default - the topic has no subscriber; subscribe on-call tooling to `alarmTopic`
   */
  readonly alarmEmail?: string;
  /** Firehose delivery streams to watch for freshness, failures and throttling. */
  readonly deliveryStreamNames: string[];
  /** Every handler whose errors and throttles must alert. */
  readonly functions: lambda.IFunction[];
  /**
   * Alarms other constructs made (aggregation day missed, sealing backlog,
   * hold failures); they get the alarm topic as action.
   * @default []
   */
  readonly additionalAlarms?: cloudwatch.Alarm[];
  /** OCSP places whose oldest copy must stay under `oldestOcspObjectAlarmHours`. */
  readonly ocspPlaces: WatchedBucket[];
  /** @default 156 (6.5 days) */
  readonly oldestOcspObjectAlarmHours?: number;
  /** Investigations bucket; extracts of closed cases must not exist. */
  readonly investigations: s3.IBucket;
  /** Hold registry, read for the open-case count and closed-case check. */
  readonly holdRegistry?: dynamodb.ITable;
  /** Retention of the monitor's own logs (they hold bucket names and counts only). */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Alarms, a retention monitor and a dashboard for one stage: engineers learn
 * without looking that logs flow and that every retention promise holds.
 */
export class LogvaultMonitoring extends Construct {
  public readonly alarmTopic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly retentionMonitor: LoggedFunction;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: LogvaultMonitoringProps) {
    super(scope, id);
    const metrics = new LogvaultMetrics(props.stage);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: alarmTopicName(props.stage),
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    this.retentionMonitor = this.createRetentionMonitor(props);
    const alarm = (
      name: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      description: string,
      missing?: cloudwatch.TreatMissingData,
    ) =>
      this.addAlarm(
        new cloudwatch.Alarm(this, name.replace(/[^A-Za-z0-9]/g, ''), {
          alarmName: alarmName(props.stage, name),
          alarmDescription: description,
          metric,
          threshold,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );

    for (const stream of props.deliveryStreamNames) {
      alarm(
        `${stream} delivery is more than 15 minutes behind`,
        metrics.firehoseDataFreshness(stream),
        900,
        'Records wait in Firehose longer than the buffering allows: S3 delivery is failing or throttled.',
      );
      alarm(
        `${stream} throttles records`,
        metrics.firehoseThrottledRecords(stream),
        0,
        'Producers exceed the stream quota: add streams (ingestion.streamCount) or ask for a quota increase.',
      );
      this.addAlarm(
        new cloudwatch.Alarm(this, `${stream}DeliveryFails`.replace(/[^A-Za-z0-9]/g, ''), {
          alarmName: alarmName(props.stage, `${stream} fails to deliver to S3`),
          alarmDescription: 'Some S3 puts by Firehose fail; records go to the error prefix.',
          metric: metrics.firehoseDeliverySuccess(stream),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const fn of [...props.functions, this.retentionMonitor.function]) {
      const name = fn.node.path.split('/').slice(1, -1).join(' ');
      alarm(`${name} fails`, metrics.lambdaErrors(fn), 0, 'The handler threw; see its log group.');
      alarm(
        `${name} is throttled`,
        metrics.lambdaThrottles(fn),
        0,
        'Invocations hit the reserved concurrency.',
      );
    }
    const limit = props.oldestOcspObjectAlarmHours ?? 156;
    for (const watched of props.ocspPlaces)
      alarm(
        `${watched.place} holds an OCSP copy older than ${limit} hours`,
        metrics.oldestObjectAgeHours(watched.place),
        limit,
        'The seven-day OCSP promise is about to break: check the lifecycle rule (logvault audit --live).',
        cloudwatch.TreatMissingData.BREACHING,
      );
    alarm(
      'keeps extracts of closed cases',
      metrics.closedCaseExtractObjects(),
      0,
      'A released OCSP investigation still has objects: rerun `logvault hold release`.',
      cloudwatch.TreatMissingData.BREACHING,
    );
    if (props.holdRegistry) {
      // The operations the hold functions use (an alarm expression takes at most 10 metrics).
      const operations = [
        dynamodb.Operation.GET_ITEM,
        dynamodb.Operation.PUT_ITEM,
        dynamodb.Operation.UPDATE_ITEM,
        dynamodb.Operation.DELETE_ITEM,
        dynamodb.Operation.QUERY,
      ];
      alarm(
        'hold registry has system errors',
        props.holdRegistry.metricSystemErrorsForOperations({
          operations,
          period: Duration.minutes(5),
        }),
        0,
        'DynamoDB failed registry requests: hold and release calls may have stopped part-way; rerun them.',
      );
      alarm(
        'hold registry throttles requests',
        props.holdRegistry.metricThrottledRequestsForOperations({
          operations,
          period: Duration.minutes(5),
        }),
        0,
        'Registry requests were throttled: lower holds.concurrency or check the table capacity.',
      );
    }
    for (const extra of props.additionalAlarms ?? []) this.addAlarm(extra);

    this.dashboard = this.createDashboard(props, metrics);
  }

  private addAlarm(alarm: cloudwatch.Alarm): void {
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }

  private createRetentionMonitor(props: LogvaultMonitoringProps): LoggedFunction {
    const monitor = new LoggedFunction(this, 'RetentionMonitor', {
      stage: props.stage,
      name: 'retention-monitor',
      description: 'Publishes the age of the oldest OCSP copy and closed-case extracts',
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      asyncDeadLetterQueue: true,
      reservedConcurrency: 1,
      timeout: Duration.minutes(5),
      environment: {
        WATCHED_PLACES: JSON.stringify(
          props.ocspPlaces.map((w) => ({
            place: w.place,
            bucket: w.bucket.bucketName,
            versioned: w.versioned ?? false,
          })),
        ),
        INVESTIGATIONS_BUCKET: props.investigations.bucketName,
        ...(props.holdRegistry ? { HOLD_REGISTRY_TABLE: props.holdRegistry.tableName } : {}),
      },
    });
    for (const bucket of [...props.ocspPlaces.map((w) => w.bucket), props.investigations])
      monitor.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [bucket.bucketArn],
        }),
      );
    // Lists cases through the registry's `cases` index; nothing else of the registry is read.
    if (props.holdRegistry)
      monitor.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [arns.tableIndex(props.holdRegistry.tableArn, registryIndexes.cases)],
        }),
      );
    monitor.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
      }),
    );
    Validations.of(monitor.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'PutMetricData has no resource-level permissions; the grant is limited to the Logvault namespace.',
    });
    new events.Rule(this, 'Hourly', {
      description: `logvault ${props.stage}: measure retention every hour`,
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [
        new targets.LambdaFunction(monitor.function, {
          deadLetterQueue: monitor.deadLetterQueue,
          retryAttempts: 2,
        }),
      ],
    });
    return monitor;
  }

  private createDashboard(
    props: LogvaultMonitoringProps,
    metrics: LogvaultMetrics,
  ): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: dashboardName(props.stage),
    });
    const streams = props.deliveryStreamNames;
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Ingest volume (records)',
        left: streams.map((s) => metrics.firehoseIncomingRecords(s)),
      }),
      new cloudwatch.GraphWidget({
        title: 'Delivery freshness (s)',
        left: streams.map((s) => metrics.firehoseDataFreshness(s)),
      }),
      new cloudwatch.GraphWidget({
        title: 'Throttled records',
        left: streams.map((s) => metrics.firehoseThrottledRecords(s)),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Oldest OCSP copy (hours)',
        left: props.ocspPlaces.map((w) => metrics.oldestObjectAgeHours(w.place)),
        leftAnnotations: [
          { value: props.oldestOcspObjectAlarmHours ?? 156, label: 'alarm' },
          { value: 168, label: '7 days' },
        ],
      }),
      new cloudwatch.SingleValueWidget({ title: 'Open cases', metrics: [metrics.openCases()] }),
      new cloudwatch.SingleValueWidget({
        title: 'Extracts of closed cases (must be 0)',
        metrics: [metrics.closedCaseExtractObjects()],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms (aggregation, sealing, holds, handlers)',
        alarms: this.alarms,
        width: 24,
      }),
    );
    return dashboard;
  }
}
