import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureBucketDefaults, createDataBucket } from './secure-bucket-props';
import { acknowledgeSingleRegionBucket } from './nag-reasons';
import {
  ArchiveRetention,
  archiveRetention,
  lockSpanDays,
} from '../../core/config/archive-retention';
import { RETENTION_METADATA } from '../rules/support/lifecycle';

/** One storage-class transition of archived objects. */
export interface ArchiveTransition {
  readonly storageClass: s3.StorageClass;
  readonly afterDays: number;
}

export interface SubscriberArchiveBucketProps extends SecureBucketDefaults {
  /**
   * Object Lock mode of the default retention. COMPLIANCE cannot be shortened
   * or removed by anyone, the account root included.
   * @default 'COMPLIANCE'
   */
  readonly lockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  /**
   * Default retention, in calendar years (rendered as Object Lock `Years`) or days.
   * @default { years: 7 }
   */
  readonly lock?: { readonly years: number } | { readonly days: number };
  /**
   * Storage-class transitions (docs/storage-classes.md lists which classes
   * Athena cannot read and how to restore them).
   * @default - none, objects stay in STANDARD
   */
  readonly transitions?: readonly ArchiveTransition[];
  /**
   * Expire objects this many days after their longest possible lock ends;
   * noncurrent versions then go one day later. Lifecycle never removes a
   * locked or legally held version, so this cannot cut retention.
   * @default - objects are kept after their lock ends
   */
  readonly expireDaysAfterRetention?: number;
}

/**
 * The write-once archive of subscriber (ACME) logs: Object Lock with a default
 * retention, versioned (implied by Object Lock), written only by sealing. It
 * states its retention as bucket metadata `logvault:retention` ({ minDays,
 * maxDays }), which `LogvaultAws-S3VersionedExpiryMatchesRetention` checks
 * against the lock and the lifecycle.
 */
export class SubscriberArchiveBucket extends Construct {
  public readonly bucket: s3.Bucket;
  /** The retention arithmetic the lock and lifecycle were built from. */
  public readonly retention: ArchiveRetention;

  constructor(scope: Construct, id: string, props: SubscriberArchiveBucketProps) {
    super(scope, id);
    const duration = props.lock ?? { years: 7 };
    this.retention = archiveRetention(duration, props.expireDaysAfterRetention);
    const lockMode = props.lockMode ?? 'COMPLIANCE';
    this.bucket = createDataBucket(this, props, {
      overrides: {
        versioned: true,
        objectLockEnabled: true,
        // CDK renders days; `Years` is set below so S3 counts calendar years, not 7 x 365 days.
        objectLockDefaultRetention: lockRetention(lockMode, lockSpanDays(duration).min),
        lifecycleRules: lifecycleRules(this.retention, props.transitions ?? []),
      },
      dataClass: 'subscriber',
      acknowledge: acknowledgeSingleRegionBucket,
    });
    if ('years' in duration) {
      const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
      cfn.addPropertyDeletionOverride('ObjectLockConfiguration.Rule.DefaultRetention.Days');
      cfn.addPropertyOverride(
        'ObjectLockConfiguration.Rule.DefaultRetention.Years',
        duration.years,
      );
    }
    for (const statement of minimumLockStatements(this.bucket, lockMode, this.retention.minDays))
      this.bucket.addToResourcePolicy(statement);
    this.bucket.node.defaultChild!.node.addMetadata(RETENTION_METADATA, {
      minDays: this.retention.minDays,
      maxDays: this.retention.maxDays,
    });
  }
}

/**
 * Denies, to everyone, writes that would lock an object less than the stage:
 * another mode, fewer remaining days, or a PutObjectRetention that removes the
 * lock. A PutObject without lock headers gets the bucket default (the stage's
 * lock); S3 leaves the condition keys absent then, so only present keys are
 * compared. The day floor is one under the minimum: AWS does not document how
 * it rounds the remaining days, and the writer's clock runs ahead of S3's
 * receipt; `logvault verify` checks the exact date (finding `short-lock`).
 */
function minimumLockStatements(
  bucket: s3.IBucket,
  mode: 'COMPLIANCE' | 'GOVERNANCE',
  minDays: number,
): iam.PolicyStatement[] {
  const deny = (sid: string, actions: string[], conditions: Record<string, unknown>) =>
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions,
      resources: [bucket.arnForObjects('*')],
      conditions,
    });
  const writes = ['s3:PutObject', 's3:PutObjectRetention'];
  return [
    deny('DenyOtherLockMode', writes, {
      Null: { 's3:object-lock-mode': 'false' },
      StringNotEquals: { 's3:object-lock-mode': mode },
    }),
    ...(minDays > 1
      ? [
          deny('DenyShortLock', writes, {
            NumericLessThan: { 's3:object-lock-remaining-retention-days': String(minDays - 1) },
          }),
        ]
      : []),
    deny('DenyRetentionRemoval', ['s3:PutObjectRetention'], {
      Null: { 's3:object-lock-mode': 'true' },
    }),
  ];
}

function lockRetention(mode: 'COMPLIANCE' | 'GOVERNANCE', days: number): s3.ObjectLockRetention {
  const retention = Duration.days(days);
  return mode === 'COMPLIANCE'
    ? s3.ObjectLockRetention.compliance(retention)
    : s3.ObjectLockRetention.governance(retention);
}

/** Tiering and expiry, plus a separate rule that removes delete markers left alone by expiry. */
function lifecycleRules(
  retention: ArchiveRetention,
  transitions: readonly ArchiveTransition[],
): s3.LifecycleRule[] {
  const tiering: s3.LifecycleRule = {
    id: 'ArchiveTiering',
    enabled: true,
    abortIncompleteMultipartUploadAfter: Duration.days(1),
    transitions: transitions.map((t) => ({
      storageClass: t.storageClass,
      transitionAfter: Duration.days(t.afterDays),
    })),
    expiration:
      retention.currentExpiryDays === undefined
        ? undefined
        : Duration.days(retention.currentExpiryDays),
    noncurrentVersionExpiration:
      retention.noncurrentExpiryDays === undefined
        ? undefined
        : Duration.days(retention.noncurrentExpiryDays),
  };
  if (retention.currentExpiryDays === undefined) return [tiering];
  // S3 refuses ExpiredObjectDeleteMarker next to Expiration days in one rule.
  return [
    tiering,
    { id: 'RemoveExpiredDeleteMarkers', enabled: true, expiredObjectDeleteMarker: true },
  ];
}
