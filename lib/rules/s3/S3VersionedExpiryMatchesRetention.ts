import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { ModelResource } from '../support/app-model';
import {
  LifecycleRule,
  defaultRetentionDays,
  isVersioned,
  lifecycleRules,
  statedRetention,
} from '../support/lifecycle';

type Stated = ReturnType<typeof statedRetention>;

/**
 * Whether a rule keeps versions as long as promised and no longer. With a
 * stated maximum, current plus noncurrent days must fit in it. Without one,
 * the pattern that doubles a retention is refused: a noncurrent expiry at
 * least as long as the period it follows (the lock, or the current expiry).
 */
function fits(rule: LifecycleRule, bucket: ModelResource, stated: Stated): boolean {
  const { expirationDays: current, noncurrentDays: noncurrent } = rule;
  if (current === undefined) return true;
  if (noncurrent === undefined) return false;
  if (stated.minDays !== undefined && current < stated.minDays) return false;
  if (stated.maxDays !== undefined) return current + noncurrent <= stated.maxDays;
  return noncurrent < (defaultRetentionDays(bucket) ?? current);
}

/** The lock, when there is one, must hold every version for the stated minimum. */
function lockCoversMinimum(bucket: ModelResource, stated: Stated): boolean {
  const lock = defaultRetentionDays(bucket);
  return stated.minDays === undefined || lock === undefined || lock >= stated.minDays;
}

/**
 * On a versioned bucket, expiring the current version deletes nothing: "The
 * Expiration action applies to the current object version. Instead of
 * deleting the current object version, Amazon S3 retains the current version
 * as a noncurrent version by adding a delete marker, which then becomes the
 * current version." (Amazon S3 User Guide, "Deleting object versions from a
 * versioning-enabled bucket"), and `NoncurrentDays` counts from that moment
 * ("Lifecycle configuration elements"). A version therefore lives current
 * days + noncurrent days: both must add up to the stated retention (bucket
 * metadata `logvault:retention: { minDays, maxDays }`), the Object Lock must
 * cover the minimum (7 × 365 days is short of 7 calendar years), and a
 * current expiry without a noncurrent one keeps the data for ever.
 */
export const S3VersionedExpiryMatchesRetention: AwsRule = {
  name: 'S3VersionedExpiryMatchesRetention',
  level: NagMessageLevel.ERROR,
  info: 'On this versioned bucket an expired object lives on as a noncurrent version: current-version expiry plus noncurrent expiry exceeds the stated retention (or doubles the lock), noncurrent versions never expire, or the lock or expiry falls short of the stated minimum.',
  doc: {
    title: 'Deleting object versions from a versioning-enabled bucket',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html',
    sentence:
      'The Expiration action applies to the current object version. Instead of deleting the current object version, Amazon S3 retains the current version as a noncurrent version by adding a delete marker, which then becomes the current version.',
  },
  appliesTo: ['AWS::S3::Bucket'],
  check: (bucket) => {
    if (!isVersioned(bucket)) return NOT_APPLICABLE;
    const stated = statedRetention(bucket);
    const rules = lifecycleRules(bucket).filter((r) => r.expirationDays !== undefined);
    if (rules.length === 0 && stated.minDays === undefined) return NOT_APPLICABLE;
    return verdict(
      lockCoversMinimum(bucket, stated) && rules.every((r) => fits(r, bucket, stated)),
    );
  },
};
