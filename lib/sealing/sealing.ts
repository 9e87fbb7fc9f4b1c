import { Construct } from 'constructs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { prefixes, registryIndexes, sealRoleNames } from '../../core/naming';
import type { LockPolicy } from '../../core/sealing/lock-policy';
import { DIGEST_AT_MINUTE } from '../../core/sealing/keys';
import { functionEnvironment } from '../compute/function-environment';
import {
  BucketGrant,
  BucketRef,
  ObjectGrant,
  TableGrant,
  bucketBinding,
  keyBinding,
  stageBucket,
  tableBinding,
} from '../compute/grants';
import { AUDIT_APPEND_ONLY } from '../holds/hold-functions';
import { LoggedFunction } from '../compute/logged-function';
import { AlarmFactory } from '../monitoring/alarm-factory';
import { witnessRoleBinding } from './anchoring';

export interface SealingProps {
  readonly stage: string;
  /** Encrypts both buckets, the functions' logs, environments and dead letters. */
  readonly storageKey: kms.IKey;
  /** The asymmetric key that signs digests (`DigestSigningKey` in the data stack). */
  readonly digestSigningKey: kms.IKey;
  /**
   * The stage's published keyring as JSON text (`publishedKeyring`): the
   * digest function signs only with a key it lists.
   */
  readonly publishedKeyring: string;
  /**
   * The stage's anchoring: TSA names as the digest function's TSA_NAMES
   * (`stageTsaNames`), and the witness account's bucket when anchors are
   * published there.
   */
  readonly anchoring: {
    readonly tsaNames: string;
    /** @default - no witness: anchors are not copied out by the function */
    readonly witness?: { readonly account: string; readonly bucket: string };
  };
  /** Lock applied to every sealed object and digest: the stage's archive lock. */
  readonly lock: LockPolicy;
  /** Landing expiry; the age alarm fires a day before it. */
  readonly landingExpiryDays: number;
  /** The reconciler seals landing objects older than this. */
  readonly reconcileAfterMinutes: number;
  /** The stage's alarms; sealing adds its own. */
  readonly alarms: AlarmFactory;
  /**
   * The hold registry and its audit trail (data stack): sealing holds what it
   * archives into an open case's scope (standing holds, core/holds/standing.ts).
   */
  readonly holds: { readonly table: dynamodb.ITable; readonly auditTable: dynamodb.ITable };
  /** Retention of the functions' (operational) logs. @default ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/** Take an object from landing: read it, delete it once archived. */
const takeFromLanding: ObjectGrant = {
  sid: 'TakeFromLanding',
  prefix: prefixes.acme,
  actions: ['s3:GetObject', 's3:DeleteObject'],
  why: 'Sealing takes any object Firehose delivered under acme/ of landing.',
};

/** Write it into the archive under the same key, with its lock; read it back to verify. */
// PutObjectRetention: a PutObject that sets a lock needs it.
const archiveWrite = [
  's3:PutObject',
  's3:PutObjectRetention',
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectRetention',
];

const sealIntoArchive: ObjectGrant = {
  sid: 'SealIntoArchive',
  prefix: prefixes.acme,
  // Standing holds: an archived version an open case's scope takes is held as it is sealed.
  actions: [...archiveWrite, 's3:PutObjectLegalHold'],
  why: 'Sealing writes each landing key under the same name into acme/ of the archive.',
};

/**
 * The same for an object that fails validation: its landing key under
 * quarantine/ of the archive. No legal hold: no case scope is judged on it.
 */
const quarantineIntoArchive: ObjectGrant = {
  sid: 'QuarantineIntoArchive',
  actions: archiveWrite,
  prefix: `${prefixes.quarantine}${prefixes.acme}`,
  why: 'Sealing archives a landing object that fails validation under quarantine/acme/, which no table reads.',
};

/**
 * Standing holds in the registry: list the cases (GSI `cases`), read a case's
 * wrapped key and a version's coverage, write a `pending` membership in a
 * transaction checked against its case, mark it `held`. No deletes: sealing
 * never lifts a hold.
 */
const standingHoldRegistry: TableGrant = {
  read: { actions: ['dynamodb:GetItem', 'dynamodb:Query'], indexes: [registryIndexes.cases] },
  write: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem'],
};

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
    | 'digestErrors'
    | 'digestChainBreaks'
    | 'digestSigningRefused'
    | 'anchorFailures'
    | 'quarantinedObjects'
    | 'anchorPublicationFailures',
    cloudwatch.Alarm
  >;

  constructor(scope: Construct, id: string, props: SealingProps) {
    super(scope, id);
    const landing = stageBucket(props.stage, 'subscriber-landing', props.storageKey);
    const archive = stageBucket(props.stage, 'subscriber-archive', props.storageKey);
    this.seal = this.sealFunction(props, landing, archive);
    this.reconciler = this.reconcilerFunction(props, landing, archive);
    this.digest = this.digestFunction(props, archive);
    this.schedule(props, landing);
    this.alarms = this.createAlarms(props);
  }

  private shared(props: SealingProps) {
    return {
      stage: props.stage,
      encryptionKey: props.storageKey,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      asyncDeadLetterQueue: true,
    };
  }

  private lock(props: SealingProps) {
    return {
      LOCK_MODE: props.lock.mode,
      LOCK_DAYS: String(props.lock.days),
      ...(props.lock.years === undefined ? {} : { LOCK_YEARS: String(props.lock.years) }),
      // An object can wait in landing until it expires, plus a day of S3's lifecycle lag.
      SCAN_DAYS: String(props.landingExpiryDays + 1),
    };
  }

  /** What both sealers are given: landing (as `landingGrant` says), the archive, the lock. */
  private sealVariables(
    props: SealingProps,
    landing: BucketRef,
    archive: BucketRef,
    landingGrant: BucketGrant,
  ) {
    return {
      LANDING_BUCKET: bucketBinding(landing, landingGrant),
      ARCHIVE_BUCKET: bucketBinding(archive, { objects: [sealIntoArchive, quarantineIntoArchive] }),
      ...this.lock(props),
      HOLD_REGISTRY_TABLE: tableBinding(
        { table: props.holds.table, key: props.storageKey },
        standingHoldRegistry,
      ),
      HOLD_AUDIT_TABLE: tableBinding(
        { table: props.holds.auditTable, key: props.storageKey },
        { write: ['dynamodb:PutItem'], deny: AUDIT_APPEND_ONLY },
      ),
      // Unwraps a case's data key to read its sealed filters (core/holds/case-secrets.ts).
      HOLD_CASE_KEY_ID: keyBinding(props.storageKey, 'kms:Decrypt'),
    };
  }

  private sealFunction(props: SealingProps, landing: BucketRef, archive: BucketRef) {
    return new LoggedFunction(this, 'Seal', {
      ...this.shared(props),
      name: 'seal',
      description: 'Seals one new landing object into the locked subscriber archive',
      environment: functionEnvironment(
        'seal',
        this.sealVariables(props, landing, archive, { objects: [takeFromLanding] }),
      ),
      // Firehose objects are at most 128 MiB and are hashed in memory.
      memorySize: 1024,
      timeout: Duration.minutes(2),
      reservedConcurrency: 10,
      roleName: sealRoleNames(props.stage).seal,
    });
  }

  private reconcilerFunction(props: SealingProps, landing: BucketRef, archive: BucketRef) {
    return new LoggedFunction(this, 'Reconciler', {
      ...this.shared(props),
      name: 'seal-reconciler',
      description: 'Seals landing objects the event path missed and reports what it found',
      environment: functionEnvironment('seal-reconciler', {
        ...this.sealVariables(props, landing, archive, {
          objects: [takeFromLanding],
          bucket: { sid: 'ListLanding', actions: ['s3:ListBucket'], prefixes: [prefixes.acme] },
        }),
        RECONCILE_AFTER_MINUTES: String(props.reconcileAfterMinutes),
      }),
      memorySize: 1024,
      timeout: Duration.minutes(10),
      reservedConcurrency: 1,
      roleName: sealRoleNames(props.stage).reconciler,
    });
  }

  private digestFunction(props: SealingProps, archive: BucketRef) {
    const read = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention'];
    return new LoggedFunction(this, 'Digest', {
      ...this.shared(props),
      name: 'seal-digest',
      description: 'Writes the signed, chained digest of each hour of sealed archive objects',
      environment: functionEnvironment('seal-digest', {
        ARCHIVE_BUCKET: bucketBinding(archive, {
          objects: [
            {
              sid: 'ReadSealedObjects',
              prefix: prefixes.acme,
              actions: read,
              why: 'Digests read every sealed version under acme/.',
            },
            {
              sid: 'ReadQuarantinedObjects',
              prefix: `${prefixes.quarantine}${prefixes.acme}`,
              actions: read,
              why: 'Digests list quarantined versions too, with the reason in their metadata.',
            },
            {
              sid: 'WriteDigests',
              prefix: prefixes.digests,
              actions: [...read, 's3:PutObject', 's3:PutObjectRetention'],
              why: 'Digests are named by hour under digests/.',
            },
            {
              sid: 'WriteAnchors',
              prefix: prefixes.anchors,
              // GetObject: publication copies the anchors it finds missing from the witness.
              actions: ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'],
              why: 'The RFC 3161 anchor of each new chain head is named by its hour under anchors/.',
            },
          ],
          bucket: {
            sid: 'ListArchive',
            actions: ['s3:ListBucket', 's3:ListBucketVersions'],
            prefixes: [
              prefixes.acme,
              prefixes.digests,
              prefixes.anchors,
              `${prefixes.quarantine}${prefixes.acme}`,
            ],
          },
        }),
        DIGEST_KEY_ID: keyBinding(props.digestSigningKey, 'kms:Sign', 'kms:GetPublicKey'),
        DIGEST_KEYRING: props.publishedKeyring,
        // Bundled by LoggedFunction's afterBundling; each TSA's URL is in its tsas.json.
        TSA_TRUST_DIR: 'trust/tsa',
        TSA_NAMES: props.anchoring.tsaNames,
        ...this.witness(props),
        ...this.lock(props),
      }),
      timeout: Duration.minutes(10),
      // One writer keeps the chain linear.
      reservedConcurrency: 1,
    });
  }

  /** The witness variables, only when the stage names a witness account. */
  private witness(props: SealingProps) {
    const witness = props.anchoring.witness;
    if (witness === undefined) return {};
    return {
      WITNESS_ROLE_ARN: witnessRoleBinding(props.stage, witness, Stack.of(this).partition),
      WITNESS_BUCKET: witness.bucket,
    };
  }

  /** The seal event rule, the reconciler every 15 minutes, the digest hourly at a quarter past. */
  private schedule(props: SealingProps, landing: BucketRef): void {
    const target = (f: LoggedFunction, retryAttempts: number, maxEventAge?: Duration) =>
      new targets.LambdaFunction(f.function, {
        retryAttempts,
        maxEventAge,
        deadLetterQueue: f.deadLetterQueue,
      });
    new events.Rule(this, 'OnLandingObject', {
      description: `logvault ${props.stage}: seal each new subscriber landing object`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [landing.name] },
          object: { key: [{ prefix: prefixes.acme }] },
        },
      },
      targets: [target(this.seal, 4, Duration.hours(2))],
    });
    new events.Rule(this, 'Reconcile', {
      description: `logvault ${props.stage}: seal landing objects the event path missed`,
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [target(this.reconciler, 2)],
    });
    new events.Rule(this, 'HourlyDigest', {
      description: `logvault ${props.stage}: digest the previous hour of sealed objects`,
      // A quarter past: every seal of the previous hour (2-minute timeout) has finished.
      schedule: events.Schedule.cron({ minute: String(DIGEST_AT_MINUTE) }),
      targets: [target(this.digest, 2)],
    });
  }

  private createAlarms(props: SealingProps): Sealing['alarms'] {
    const { metrics } = props.alarms;
    const atLeastOnce = (name: string, description: string, metric: cloudwatch.IMetric) =>
      props.alarms.alarm(this, name, {
        description: `logvault ${props.stage}: ${description}`,
        metric,
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    return {
      reconcilerHadToSeal: atLeastOnce(
        'reconciler had to seal',
        'the reconciler sealed objects the event path missed (check EventBridge delivery and the seal function)',
        metrics.own('reconcilerSealedObjects'),
      ),
      landingNearExpiry: props.alarms.alarm(this, 'landing near expiry', {
        description:
          `logvault ${props.stage}: landing holds an object older than ${props.landingExpiryDays - 1} days; ` +
          'it expires unsealed within a day (docs/sealing.md)',
        metric: metrics.own('landingOldestObjectAgeHours'),
        threshold: (props.landingExpiryDays - 1) * 24,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means the reconciler is not running: nothing watches landing.
        missingData: cloudwatch.TreatMissingData.BREACHING,
      }),
      sealFailures: atLeastOnce(
        'seal failures',
        'objects could not be sealed',
        metrics.own('sealFailures'),
      ),
      sealDeadLetters: atLeastOnce(
        'seal dead letters',
        'seal events were parked in the dead-letter queue',
        this.seal.deadLetterQueue!.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
        }),
      ),
      digestErrors: atLeastOnce(
        'digest errors',
        'the hourly digest failed; the chain is behind until it succeeds',
        metrics.lambdaErrors(this.digest.function, Duration.hours(1)),
      ),
      digestChainBreaks: atLeastOnce(
        'digest chain breaks',
        'the digest function found a digest missing, deleted, written over or unsigned, or a digested object gone; ' +
          'it recorded the break in the next digest instead of healing it (run logvault verify, see docs/sealing.md)',
        metrics.own('digestChainBreaks'),
      ),
      anchorFailures: atLeastOnce(
        'anchor failures',
        'no pinned TSA timestamped the new chain head (egress, TSA down, or a token that does not verify); ' +
          'the next anchor covers it through the chain, but until then the account alone vouches for it',
        metrics.own('anchorFailures'),
      ),
      quarantinedObjects: atLeastOnce(
        'quarantined objects',
        'sealing archived a landing object that failed validation under quarantine/ (kept and locked, read by no table); ' +
          'logvault verify names it and the reason: find the producer that wrote it (docs/sealing.md)',
        metrics.own('quarantinedObjects'),
      ),
      anchorPublicationFailures: atLeastOnce(
        'anchor publication failures',
        'anchors could not be copied to the witness account (role, bucket policy, or lock); ' +
          'until they are, only the audited account holds them: the next run retries the last 48 hours',
        metrics.own('anchorPublicationFailures'),
      ),
      digestSigningRefused: atLeastOnce(
        'digest signing refused',
        'the digest signing key is not in the published keyring (trust/<stage>/digest-keys.json): ' +
          'no digest was signed; publish the key by reviewed pull request, or find who re-pointed the alias',
        metrics.own('digestSigningRefused'),
      ),
    };
  }
}
