import { Construct } from 'constructs';
import { CfnResource, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { StageConfig } from '../../core/config/stage-config';
import {
  BucketPurpose,
  arns,
  bucketEmptyingLogGroupName,
  bucketName,
  keyArnParameterName,
  logGroupPrefix,
  storageKeyAlias,
} from '../../core/naming';
import { DEPLOYED } from '../placement';
import { AccessLogBucket } from '../storage/access-log-bucket';
import { AggregatesBucket } from '../storage/aggregates-bucket';
import { HoldRegistry } from '../holds/hold-registry';
import { ExpiringBucket } from '../storage/expiring-bucket';
import { InvestigationsBucket } from '../storage/investigations-bucket';
import { SubscriberArchiveBucket } from '../storage/subscriber-archive-bucket';
import { DigestSigningKey } from '../sealing/digest-signing-key';
import { classifyDataAt } from '../privacy/data-class';
import type { StageData } from './stage-data';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stateful half of logvault: keys and buckets, each bucket carrying the
 * retention its data class promises. Retained on stack deletion.
 */
export class DataStack extends Stack implements StageData {
  public readonly storageKey: kms.Key;
  public readonly accessLogs: s3.Bucket;
  public readonly ocspRawLogs: s3.Bucket;
  public readonly queryResults: s3.Bucket;
  public readonly subscriberLanding: s3.Bucket;
  public readonly subscriberArchive: s3.Bucket;
  public readonly investigations: s3.Bucket;
  public readonly aggregates: s3.Bucket;
  /** Signs the hourly digests of the subscriber archive (lib/sealing). */
  public readonly digestSigningKey: DigestSigningKey;
  /** Legal-hold registry and audit trail; guards legal holds on the archive and investigations. */
  public readonly holds: HoldRegistry;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.storageKey = this.createStorageKey(config.stage);
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      bucketName: bucketName(config.stage, 'access-logs', DEPLOYED),
      expiryDays: config.accessLogExpiryDays,
      disposable: !config.isProduction,
    }).bucket;
    const buckets = this.createDataBuckets(config);
    this.ocspRawLogs = buckets.ocspRawLogs;
    this.queryResults = buckets.queryResults;
    this.subscriberLanding = buckets.subscriberLanding;
    this.subscriberArchive = buckets.subscriberArchive;
    this.investigations = buckets.investigations;
    this.aggregates = buckets.aggregates;
    this.digestSigningKey = new DigestSigningKey(this, 'DigestSigningKey', { stage: config.stage });
    this.holds = new HoldRegistry(this, 'Holds', {
      stage: config.stage,
      encryptionKey: this.storageKey,
      guardedBuckets: [this.subscriberArchive, this.investigations],
      sealedArchive: this.subscriberArchive,
      disposable: !config.isProduction,
    });
    this.publishKeyArns(config.stage);
    this.logBucketEmptying(config.stage);
  }

  /**
   * CDK's handler that empties disposable buckets on stack deletion would log
   * to an implicit log group that never expires; give it one of the stage's.
   */
  private logBucketEmptying(stage: string): void {
    const provider = this.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
    if (!provider) return;
    const logGroup = new logs.LogGroup(this, 'BucketEmptyingLogs', {
      logGroupName: bucketEmptyingLogGroupName(stage),
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: this.storageKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Bucket names and object keys being deleted; no log contents.
    classifyDataAt(logGroup, 'operational');
    const handler = provider.node.findChild('Handler') as CfnResource;
    handler.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
    // Deleted after the handler, so the emptying it logs on stack deletion has its group.
    handler.addResourceDependency(logGroup.node.defaultChild as CfnResource);
  }

  /**
   * The keys' ARNs for the compute stack, which reads them at deploy time
   * (lib/stacks/stage-data.ts): a CloudFormation export would pin each key
   * while imported (issue 12 finding 10).
   */
  private publishKeyArns(stage: string): void {
    const keys = { storage: this.storageKey, 'digest-signing': this.digestSigningKey.key };
    for (const [name, key] of Object.entries(keys) as ['storage' | 'digest-signing', kms.Key][])
      new ssm.StringParameter(this, `${name}-key-arn`, {
        parameterName: keyArnParameterName(stage, name),
        stringValue: key.keyArn,
        description: `logvault ${stage}: ARN of the ${name} key, read by the compute stack at deploy`,
      });
  }

  /** The key of every bucket, table, stream and log group of the stage. */
  private createStorageKey(stage: string): kms.Key {
    const key = new kms.Key(this, 'StorageKey', {
      description: `logvault ${stage}: encrypts every log bucket and delivery stream`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
      alias: storageKeyAlias(stage),
    });
    // CloudWatch Logs encrypts logvault's log groups (and only those) with this key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${DEPLOYED.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': arns.logGroup(
              DEPLOYED,
              `${logGroupPrefix(stage)}*`,
            ),
          },
        },
      }),
    );
    // Services that encrypt into the stage's queues and topics call KMS as
    // themselves, and IAM cannot grant a service principal: the key policy must
    // name them (SNS "Key management"; EventBridge "Troubleshooting"). CloudWatch
    // publishes alarms to the topic; EventBridge sends failed events to the
    // rules' dead-letter queues. Statements as AWS documents them, unconditioned:
    // whether these services send aws:SourceAccount to KMS is not documented.
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com'])
      key.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    return key;
  }

  /** Each data bucket with the retention its data class promises. */
  private createDataBuckets(config: StageConfig) {
    const defaults = (purpose: BucketPurpose) => ({
      encryptionKey: this.storageKey,
      accessLogsBucket: this.accessLogs,
      accessLogsPrefix: `${purpose}/`,
      bucketName: bucketName(config.stage, purpose, DEPLOYED),
      // Outside production every bucket goes with the stack except the locked archive (below).
      disposable: !config.isProduction,
    });
    return {
      // Raw OCSP request logs (and Firehose error output): every copy gone in < 7 days.
      ocspRawLogs: new ExpiringBucket(this, 'OcspRawLogs', {
        ...defaults('ocsp-raw'),
        dataClass: 'ocsp-personal',
        expiryDays: config.ocsp.rawLogExpiryDays,
      }).bucket,
      // Athena results are copies of what was queried, IPs included: one day.
      queryResults: new ExpiringBucket(this, 'QueryResults', {
        ...defaults('query-results'),
        dataClass: 'ocsp-personal',
        expiryDays: 1,
      }).bucket,
      // Firehose lands subscriber logs here: its uploads carry no Content-MD5 or
      // checksum header, which writes into a bucket with default retention need.
      // Sealing moves each object to the archive within the hour.
      subscriberLanding: new ExpiringBucket(this, 'SubscriberLanding', {
        ...defaults('subscriber-landing'),
        dataClass: 'subscriber-landing',
        expiryDays: config.subscriber.landingExpiryDays,
        eventBridgeEnabled: true,
      }).bucket,
      // Kept in every stage: CloudFormation's emptying cannot delete versions under
      // Object Lock retention or legal hold (docs/deploy.md, "Redeploying").
      subscriberArchive: new SubscriberArchiveBucket(this, 'SubscriberArchive', {
        ...defaults('subscriber-archive'),
        disposable: false,
        lockMode: config.subscriber.lock.mode,
        lock: config.subscriber.lock.duration,
        transitions: config.subscriber.transitions.map((t) => ({
          storageClass: new s3.StorageClass(t.storageClass),
          afterDays: t.afterDays,
        })),
        expireDaysAfterRetention: config.subscriber.expireDaysAfterRetention,
      }).bucket,
      investigations: new InvestigationsBucket(this, 'Investigations', defaults('investigations'))
        .bucket,
      aggregates: new AggregatesBucket(this, 'Aggregates', defaults('aggregates')).bucket,
    };
  }
}
