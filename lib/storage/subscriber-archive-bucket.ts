import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureBucketDefaults, createDataBucket } from './secure-bucket-props';
import { acknowledgeSingleRegionBucket } from './nag-reasons';

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
   * Default retention in days (Object Lock counts a year as 365 days).
   * @default 2555 (seven years)
   */
  readonly lockDays?: number;
  /**
   * Storage-class transitions (docs/storage-classes.md lists which classes
   * Athena cannot read and how to restore them).
   * @default - none, objects stay in STANDARD
   */
  readonly transitions?: readonly ArchiveTransition[];
  /**
   * Expire objects this many days after their lock ends. Lifecycle never
   * removes a locked or legally held version, so this cannot cut retention.
   * @default - objects are kept after their lock ends
   */
  readonly expireDaysAfterRetention?: number;
}

/**
 * The write-once archive of subscriber (ACME) logs: Object Lock with a default
 * retention, versioned (implied by Object Lock), written only by sealing.
 */
export class SubscriberArchiveBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly lockDays: number;

  constructor(scope: Construct, id: string, props: SubscriberArchiveBucketProps) {
    super(scope, id);
    this.lockDays = props.lockDays ?? 2555;
    const retention = Duration.days(this.lockDays);
    const lifecycle: s3.LifecycleRule = {
      id: 'ArchiveTiering',
      enabled: true,
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      transitions: (props.transitions ?? []).map((t) => ({
        storageClass: t.storageClass,
        transitionAfter: Duration.days(t.afterDays),
      })),
      expiration:
        props.expireDaysAfterRetention === undefined
          ? undefined
          : Duration.days(this.lockDays + props.expireDaysAfterRetention),
      noncurrentVersionExpiration:
        props.expireDaysAfterRetention === undefined
          ? undefined
          : Duration.days(this.lockDays + props.expireDaysAfterRetention),
    };
    this.bucket = createDataBucket(this, props, {
      overrides: {
        versioned: true,
        objectLockEnabled: true,
        objectLockDefaultRetention:
          (props.lockMode ?? 'COMPLIANCE') === 'COMPLIANCE'
            ? s3.ObjectLockRetention.compliance(retention)
            : s3.ObjectLockRetention.governance(retention),
        lifecycleRules: [lifecycle],
      },
      dataClass: 'subscriber',
      acknowledge: acknowledgeSingleRegionBucket,
    });
  }
}
