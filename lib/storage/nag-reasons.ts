import { IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';

/** Reasons reused by several buckets, written once so they stay identical. */
export const nagReasons = {
  unversionedForExpiry:
    'Deliberately unversioned: on a versioned bucket lifecycle expiry only adds a delete marker and the ' +
    'data lives on as a noncurrent version, which would break the retention promise for this data class.',
  noReplication:
    'Not replicated: a replica is one more copy whose retention would have to be proven separately. ' +
    'Cross-region replication of the locked archive is tracked in docs/security.md (out of scope).',
} as const;

/** Acknowledges the versioning and replication findings an expiring, unversioned bucket raises. */
export function acknowledgeUnversionedExpiringBucket(bucket: IConstruct): void {
  Validations.of(bucket).acknowledge({
    id: 'NIST.800.53.R5-S3BucketVersioningEnabled',
    reason: nagReasons.unversionedForExpiry,
  });
  Validations.of(bucket).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: nagReasons.noReplication,
  });
}

/** Acknowledges the replication finding on a bucket that keeps data in one region. */
export function acknowledgeSingleRegionBucket(bucket: IConstruct): void {
  Validations.of(bucket).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: nagReasons.noReplication,
  });
}
