import { Construct } from 'constructs';
import { Stack, StackProps } from 'aws-cdk-lib';
import { StageConfig } from '../../core/config/stage-config';
import { StageDataRefs } from './stage-data';
import { Ingestion } from '../ingestion/ingestion';
import { HoldFunctions } from '../holds/hold-functions';
import { Catalog } from '../analytics/catalog';
import { AnalyticsViews } from '../analytics/views';
import { DailyAggregation } from '../analytics/daily-aggregation';
import { Sealing } from '../sealing/sealing';
import { publishedKeyring } from '../sealing/published-keyring';
import { stageTsaNames } from '../sealing/anchoring';
import { stageLockPolicy } from '../../core/sealing/lock-policy';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LoggedFunction } from '../compute/logged-function';
import { LogvaultMonitoring } from '../monitoring/logvault-monitoring';
import { AlarmFactory } from '../monitoring/alarm-factory';
import { CONCURRENCY_QUOTA_CONTEXT } from '../rules/lambda/LambdaReservedConcurrencyWithinQuota';

export interface ComputeStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stateless half of logvault: delivery streams, functions, catalog and
 * schedules. It holds no data of its own beyond short-retention logs, so it
 * can be redeployed or replaced without touching the buckets.
 */
export class ComputeStack extends Stack {
  public readonly ingestion: Ingestion;
  public readonly holds: HoldFunctions;
  public readonly catalog: Catalog;
  public readonly views: AnalyticsViews;
  public readonly dailyAggregation: DailyAggregation;
  public readonly sealing: Sealing;
  public readonly monitoring: LogvaultMonitoring;
  /** The data stack's resources, by name and deploy-time key ARN (no export). */
  public readonly data: StageDataRefs;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    // Before any child: LoggedFunction reserves concurrency only under a stated quota.
    const quota = props.config.lambda.accountConcurrencyQuota;
    if (quota !== undefined) this.node.setContext(CONCURRENCY_QUOTA_CONTEXT, quota);
    const data = (this.data = new StageDataRefs(this, 'Data', { stage: props.config.stage }));
    const alarms = new AlarmFactory(props.config.stage);
    this.catalog = new Catalog(this, 'Catalog', {
      config: props.config,
      ocspRawLogs: data.ocspRawLogs,
      subscriberArchive: data.subscriberArchive,
      aggregates: data.aggregates,
      queryResults: data.queryResults,
      storageKey: data.storageKey,
    });
    this.views = new AnalyticsViews(this, 'Views', {
      databaseName: this.catalog.databaseName,
      dependsOn: [this.catalog.database],
    });
    this.dailyAggregation = new DailyAggregation(this, 'DailyAggregation', {
      stage: props.config.stage,
      catalog: this.catalog,
      rawLogExpiryDays: props.config.ocsp.rawLogExpiryDays,
      publication: props.config.analytics.publication,
      encryptionKey: data.storageKey,
      alarms,
    });
    this.ingestion = new Ingestion(this, 'Ingestion', { config: props.config, data });
    this.holds = new HoldFunctions(this, 'Holds', { config: props.config, data });
    this.sealing = new Sealing(this, 'Sealing', {
      stage: props.config.stage,
      storageKey: data.storageKey,
      digestSigningKey: data.digestSigningKey.key,
      publishedKeyring: publishedKeyring(props.config.stage),
      anchoring: {
        tsaNames: stageTsaNames(props.config),
        witness: props.config.anchoring.witness,
      },
      lock: stageLockPolicy(props.config),
      landingExpiryDays: props.config.subscriber.landingExpiryDays,
      reconcileAfterMinutes: props.config.subscriber.sealing.reconcileAfterMinutes,
      alarms,
      holds: data.holds,
    });
    this.monitoring = new LogvaultMonitoring(this, 'Monitoring', {
      stage: props.config.stage,
      encryptionKey: data.storageKey,
      alarmEmail: props.config.monitoring.alarmEmail,
      deliveryStreamNames: [...this.ingestion.ocsp.streams, ...this.ingestion.acme.streams].map(
        (stream) => stream.deliveryStreamName!,
      ),
      // Every handler in this stack, so a new one cannot be left unwatched.
      functions: this.node
        .findAll()
        .filter((c): c is LoggedFunction => c instanceof LoggedFunction)
        .map((f) => f.function),
      alarms,
      ocspPlaces: [
        { place: 'ocsp-raw', bucket: data.ocspRawLogs },
        { place: 'query-results', bucket: data.queryResults },
      ],
      oldestOcspObjectAlarmHours: props.config.monitoring.oldestOcspObjectAlarmHours,
      archive: data.subscriberArchive,
      investigations: data.investigations,
      holdRegistry: { table: data.holds.table, key: data.storageKey },
      logRetention: logs.RetentionDays.THREE_MONTHS,
    });
  }
}
