import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { alarmName, alarmTopicName, arns } from '../../core/naming';
import { DEPLOYED } from '../placement';
import { TableRef } from '../compute/grants';
import { LoggedFunction } from '../compute/logged-function';
import { AlarmFactory } from './alarm-factory';
import { createDashboard } from './dashboard';
import { createRetentionMonitor } from './retention-monitor';

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
   * E-mail address subscribed to every alarm (the stage config requires one in production).
   * @default - the topic has no subscriber (acknowledged: a non-production stage's alarms are read on its dashboard)
   */
  readonly alarmEmail?: string;
  /** Firehose delivery streams to watch for freshness, failures and throttling. */
  readonly deliveryStreamNames: string[];
  /** Every handler whose errors and throttles must alert. */
  readonly functions: lambda.IFunction[];
  /**
   * The stage's alarms. Monitoring adds its own, and sends every alarm the
   * factory holds (aggregation, sealing, …) to the alarm topic.
   */
  readonly alarms: AlarmFactory;
  /** OCSP places whose oldest copy must stay under `oldestOcspObjectAlarmHours`. */
  readonly ocspPlaces: WatchedBucket[];
  /** @default 156 (6.5 days) */
  readonly oldestOcspObjectAlarmHours?: number;
  /** Subscriber archive; its ACME versions' legal holds are checked against the registry. */
  readonly archive: s3.IBucket;
  /** Investigations bucket; extracts of closed cases must not exist. */
  readonly investigations: s3.IBucket;
  /** Hold registry and its key, read for the open-case count and closed-case check. */
  readonly holdRegistry: TableRef;
  /** Retention of the monitor's own logs (they hold bucket names and counts only). */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Alarms, a retention monitor and a dashboard for one stage: engineers learn
 * without looking that logs flow and that every retention promise holds.
 */
export class LogvaultMonitoring extends Construct {
  public readonly alarmTopic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[];
  public readonly retentionMonitor: LoggedFunction;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: LogvaultMonitoringProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: alarmTopicName(props.stage),
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    this.letAlarmsPublish(props.stage);
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    else
      Validations.of(this.alarmTopic).acknowledge({
        id: 'LogvaultAws-SnsAlarmTopicHasSubscriber',
        reason:
          'No subscriber outside production: its alarms are read on the stage dashboard; the stage config requires monitoring.alarmEmail in production.',
      });
    this.retentionMonitor = createRetentionMonitor(this, props);
    const others = [...props.alarms.alarms.values()];
    this.streamAlarms(props);
    this.handlerAlarms(props, [...props.functions, this.retentionMonitor.function]);
    this.retentionAlarms(props);
    this.registryAlarms(props);
    // Its own first, then those of the constructs that watch their own work.
    this.alarms = [...props.alarms.alarms.values()].filter((a) => !others.includes(a));
    this.alarms.push(...others);
    for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.dashboard = createDashboard(this, props, this.alarms);
  }

  /**
   * The enforceSSL topic policy replaces SNS's default policy, which is what
   * let CloudWatch publish: allow it again, for this stage's alarms of this
   * account only. `grantPublish` would do the same but also put the
   * aws:SourceArn condition into the storage key's policy in the data stack,
   * a reference back from data to compute; the key names CloudWatch there.
   */
  private letAlarmsPublish(stage: string): void {
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StageAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': DEPLOYED.account },
          ArnLike: { 'aws:SourceArn': arns.alarm(DEPLOYED, alarmName(stage, '*')) },
        },
      }),
    );
  }

  /** Freshness, failed deliveries and throttling of every delivery stream. */
  private streamAlarms(props: LogvaultMonitoringProps): void {
    const { alarms } = props;
    const { metrics } = alarms;
    for (const stream of props.deliveryStreamNames) {
      alarms.alarm(this, `${stream} delivery is more than 15 minutes behind`, {
        metric: metrics.firehoseDataFreshness(stream),
        threshold: 900,
        description:
          'Records wait in Firehose longer than the buffering allows: S3 delivery is failing or throttled.',
      });
      alarms.alarm(this, `${stream} throttles records`, {
        metric: metrics.firehoseThrottledRecords(stream),
        threshold: 0,
        description:
          'Producers exceed the stream quota: add streams (ingestion.streamCount) or ask for a quota increase.',
      });
      alarms.alarm(this, `${stream} fails to deliver to S3`, {
        metric: metrics.firehoseDeliverySuccess(stream),
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        description: 'Some S3 puts by Firehose fail; records go to the error prefix.',
      });
    }
  }

  /** Errors and throttles of every handler. */
  private handlerAlarms(props: LogvaultMonitoringProps, functions: lambda.IFunction[]): void {
    const { alarms } = props;
    for (const fn of functions) {
      const name = fn.node.path.split('/').slice(1, -1).join(' ');
      alarms.alarm(this, `${name} fails`, {
        metric: alarms.metrics.lambdaErrors(fn),
        threshold: 0,
        description: 'The handler threw; see its log group.',
      });
      alarms.alarm(this, `${name} is throttled`, {
        metric: alarms.metrics.lambdaThrottles(fn),
        threshold: 0,
        description: 'Invocations hit the reserved concurrency.',
      });
    }
  }

  /** The OCSP age limit per place and closed-case extracts; silence counts as a breach. */
  private retentionAlarms(props: LogvaultMonitoringProps): void {
    const { alarms } = props;
    const limit = props.oldestOcspObjectAlarmHours ?? 156;
    for (const watched of props.ocspPlaces)
      alarms.alarm(this, `${watched.place} holds an OCSP copy older than ${limit} hours`, {
        metric: alarms.metrics.own('oldestObjectAgeHours', watched.place),
        threshold: limit,
        description:
          'The seven-day OCSP promise is about to break: check the lifecycle rule (logvault audit --live).',
        missingData: cloudwatch.TreatMissingData.BREACHING,
      });
    alarms.alarm(this, 'keeps extracts of closed cases', {
      metric: alarms.metrics.own('closedCaseExtractObjects'),
      threshold: 0,
      description:
        'A released OCSP investigation still has objects: rerun `logvault hold release`.',
      missingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarms.alarm(this, 'has legal holds that disagree with the registry', {
      metric: alarms.metrics.own('orphanedHolds'),
      threshold: 0,
      description:
        'A version is held that no case covers, or an active case has a version not held: `logvault hold repair --dry-run`, then `logvault hold repair`.',
      missingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  /** System errors and throttling of the registry operations the hold functions use. */
  private registryAlarms(props: LogvaultMonitoringProps): void {
    const { alarms } = props;
    const registry = props.holdRegistry.table;
    // An alarm expression takes at most 10 metrics.
    const operations = [
      dynamodb.Operation.GET_ITEM,
      dynamodb.Operation.PUT_ITEM,
      dynamodb.Operation.UPDATE_ITEM,
      dynamodb.Operation.DELETE_ITEM,
      dynamodb.Operation.QUERY,
      dynamodb.Operation.BATCH_WRITE_ITEM,
      dynamodb.Operation.TRANSACT_WRITE_ITEMS,
    ];
    const period = Duration.minutes(5);
    alarms.alarm(this, 'hold registry has system errors', {
      metric: registry.metricSystemErrorsForOperations({ operations, period }),
      threshold: 0,
      description:
        'DynamoDB failed registry requests: hold and release calls may have stopped part-way; rerun them.',
    });
    alarms.alarm(this, 'hold registry throttles requests', {
      metric: registry.metricThrottledRequestsForOperations({ operations, period }),
      threshold: 0,
      description:
        'Registry requests were throttled: lower holds.concurrency or check the table capacity.',
    });
  }
}
