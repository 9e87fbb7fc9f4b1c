import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LoggedFunction } from '../compute/logged-function';
import {
  BucketPurpose,
  METRIC_NAMESPACE,
  NAG_PLACEMENT,
  arns,
  bucketName,
  prefixes,
  wildcardFindingId,
} from '../../core/naming';
import { DEPLOYED } from '../placement';
import { LockPolicy } from '../../core/sealing/lock-policy';
import { sealingMetrics } from './sealing-metrics';

export interface SealingProps {
  readonly stage: string;
  /** Encrypts both buckets, the functions' logs, environments and dead letters. */
  readonly storageKey: kms.IKey;
  /** The asymmetric key that signs digests (`DigestSigningKey` in the data stack). */
  readonly digestSigningKey: kms.IKey;
  /** Lock applied to every sealed object and digest: the stage's archive lock. */
  readonly lock: LockPolicy;
  /** Landing expiry; the age alarm fires a day before it. */
  readonly landingExpiryDays: number;
  /** The reconciler seals landing objects older than this. */
  readonly reconcileAfterMinutes: number;
  /** Retention of the functions' (operational) logs. @default ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Seals subscriber logs from the landing bucket into the Object-Locked archive
 * and chains signed hourly digests over them (docs/sealing.md):
 * S3 "Object Created" (EventBridge) → seal; every 15 minutes → reconciler;
 * hourly at :15 → digest. Alarms when the reconciler had to seal, when
 * landing holds an object close to expiry, and when sealing or digests fail.
 */
export class Sealing extends Construct {
  public readonly seal: LoggedFunction;
  public readonly reconciler: LoggedFunction;
  public readonly digest: LoggedFunction;
  public readonly alarms: Record<
    | 'reconcilerHadToSeal'
    | 'landingNearExpiry'
    | 'sealFailures'
    | 'sealDeadLetters'
    | 'digestErrors',
    cloudwatch.Alarm
  >;

  constructor(scope: Construct, id: string, props: SealingProps) {
    super(scope, id);
    const landingName = bucketName(props.stage, 'subscriber-landing', DEPLOYED);
    const archiveName = bucketName(props.stage, 'subscriber-archive', DEPLOYED);
    const environment = {
      LANDING_BUCKET: landingName,
      ARCHIVE_BUCKET: archiveName,
      LOCK_MODE: props.lock.mode,
      LOCK_DAYS: String(props.lock.days),
      // An object can wait in landing until it expires, plus a day of S3's lifecycle lag.
      SCAN_DAYS: String(props.landingExpiryDays + 1),
    };
    const shared = {
      stage: props.stage,
      encryptionKey: props.storageKey,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    };
    this.seal = new LoggedFunction(this, 'Seal', {
      ...shared,
      name: 'seal',
      description: 'Seals one new landing object into the locked subscriber archive',
      environment,
      // Firehose objects are at most 128 MiB and are hashed in memory.
      memorySize: 1024,
      timeout: Duration.minutes(2),
      reservedConcurrency: 10,
      asyncDeadLetterQueue: true,
    });
    this.reconciler = new LoggedFunction(this, 'Reconciler', {
      ...shared,
      name: 'seal-reconciler',
      description: 'Seals landing objects the event path missed and reports what it found',
      environment: {
        ...environment,
        RECONCILE_AFTER_MINUTES: String(props.reconcileAfterMinutes),
      },
      memorySize: 1024,
      timeout: Duration.minutes(10),
      reservedConcurrency: 1,
      asyncDeadLetterQueue: true,
    });
    this.digest = new LoggedFunction(this, 'Digest', {
      ...shared,
      name: 'seal-digest',
      description: 'Writes the signed, chained digest of each hour of sealed archive objects',
      environment: { ...environment, DIGEST_KEY_ID: props.digestSigningKey.keyArn },
      timeout: Duration.minutes(10),
      // One writer keeps the chain linear.
      reservedConcurrency: 1,
      asyncDeadLetterQueue: true,
    });

    const objects = (bucket: string, prefix: string) => arns.objects(DEPLOYED, bucket, prefix);
    const bucketArn = (bucket: string) => arns.bucket(DEPLOYED, bucket);
    for (const f of [this.seal, this.reconciler]) {
      f.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'TakeFromLanding',
          actions: ['s3:GetObject', 's3:DeleteObject'],
          resources: [objects(landingName, prefixes.acme)],
        }),
      );
      f.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'SealIntoArchive',
          // PutObjectRetention: a PutObject that sets a lock needs it.
          actions: [
            's3:PutObject',
            's3:PutObjectRetention',
            's3:GetObject',
            's3:GetObjectVersion',
            's3:GetObjectRetention',
          ],
          resources: [objects(archiveName, prefixes.acme)],
        }),
      );
      f.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadWriteEncrypted',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.storageKey.keyArn],
        }),
      );
    }
    this.reconciler.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListLanding',
        actions: ['s3:ListBucket'],
        resources: [bucketArn(landingName)],
        conditions: { StringLike: { 's3:prefix': [`${prefixes.acme}*`] } },
      }),
    );
    this.reconciler.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishSealingMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
      }),
    );
    this.digest.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListArchive',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [bucketArn(archiveName)],
        conditions: {
          StringLike: { 's3:prefix': [`${prefixes.acme}*`, `${prefixes.digests}*`] },
        },
      }),
    );
    this.digest.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSealedObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention'],
        resources: [objects(archiveName, prefixes.acme), objects(archiveName, prefixes.digests)],
      }),
    );
    this.digest.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteDigests',
        actions: ['s3:PutObject', 's3:PutObjectRetention'],
        resources: [objects(archiveName, prefixes.digests)],
      }),
    );
    this.digest.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SignDigests',
        actions: ['kms:Sign'],
        resources: [props.digestSigningKey.keyArn],
      }),
    );
    this.digest.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteEncrypted',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.storageKey.keyArn],
      }),
    );
    this.acknowledge(props.stage);

    new events.Rule(this, 'OnLandingObject', {
      description: `logvault ${props.stage}: seal each new subscriber landing object`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [landingName] }, object: { key: [{ prefix: prefixes.acme }] } },
      },
      targets: [
        new targets.LambdaFunction(this.seal.function, {
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.seal.deadLetterQueue,
        }),
      ],
    });
    new events.Rule(this, 'Reconcile', {
      description: `logvault ${props.stage}: seal landing objects the event path missed`,
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [
        new targets.LambdaFunction(this.reconciler.function, {
          retryAttempts: 2,
          deadLetterQueue: this.reconciler.deadLetterQueue,
        }),
      ],
    });
    new events.Rule(this, 'HourlyDigest', {
      description: `logvault ${props.stage}: digest the previous hour of sealed objects`,
      // A quarter past: every seal of the previous hour (2-minute timeout) has finished.
      schedule: events.Schedule.cron({ minute: '15' }),
      targets: [
        new targets.LambdaFunction(this.digest.function, {
          retryAttempts: 2,
          deadLetterQueue: this.digest.deadLetterQueue,
        }),
      ],
    });

    const metrics = sealingMetrics(props.stage);
    const alarm = (
      id: string,
      description: string,
      metric: cloudwatch.IMetric,
      threshold: number,
    ) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `logvault ${props.stage}: ${description}`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.alarms = {
      reconcilerHadToSeal: alarm(
        'ReconcilerHadToSeal',
        'the reconciler sealed objects the event path missed (check EventBridge delivery and the seal function)',
        metrics.reconcilerSealedObjects(),
        1,
      ),
      landingNearExpiry: new cloudwatch.Alarm(this, 'LandingNearExpiry', {
        alarmDescription:
          `logvault ${props.stage}: landing holds an object older than ${props.landingExpiryDays - 1} days; ` +
          'it expires unsealed within a day (docs/sealing.md)',
        metric: metrics.landingOldestObjectAgeHours(),
        threshold: (props.landingExpiryDays - 1) * 24,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means the reconciler is not running: nothing watches landing.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
      sealFailures: alarm('SealFailures', 'objects could not be sealed', metrics.sealFailures(), 1),
      sealDeadLetters: alarm(
        'SealDeadLetters',
        'seal events were parked in the dead-letter queue',
        this.seal.deadLetterQueue!.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
        }),
        1,
      ),
      digestErrors: alarm(
        'DigestErrors',
        'the hourly digest failed; the chain is behind until it succeeds',
        this.digest.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        1,
      ),
    };
  }

  /** Each wildcard is one prefix whose object names are known only at run time. */
  private acknowledge(stage: string): void {
    const s3Objects = (purpose: BucketPurpose, prefix: string) =>
      arns.stageObjects(NAG_PLACEMENT, stage, purpose, prefix);
    const ack = (f: LoggedFunction, resource: string, reason: string) =>
      Validations.of(f.role).acknowledge({ id: wildcardFindingId(resource), reason });
    for (const f of [this.seal, this.reconciler]) {
      ack(
        f,
        s3Objects('subscriber-landing', prefixes.acme),
        'Sealing takes any object Firehose delivered under acme/ of landing.',
      );
      ack(
        f,
        s3Objects('subscriber-archive', prefixes.acme),
        'Sealing writes each landing key under the same name into acme/ of the archive.',
      );
    }
    ack(
      this.digest,
      s3Objects('subscriber-archive', prefixes.acme),
      'Digests read every sealed version under acme/.',
    );
    ack(
      this.digest,
      s3Objects('subscriber-archive', prefixes.digests),
      'Digests are named by hour under digests/.',
    );
    Validations.of(this.reconciler.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'PutMetricData has no resource-level permissions; the grant is limited to the Logvault namespace.',
    });
  }
}
