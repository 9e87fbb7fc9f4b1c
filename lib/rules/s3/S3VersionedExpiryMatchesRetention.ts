import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { ModelResource } from '../support/app-model';
import {
  LifecycleRule,
  defaultRetentionDays,
  isVersioned,
  lifecycleRules,
  statedMaxDays,
} from '../support/lifecycle';

/**
 * Whether a rule keeps versions no longer than intended. With a stated
 * maximum, current plus noncurrent days must fit in it. Without one, the
 * pattern that doubles a retention is refused: a noncurrent expiry at least
 * as long as the period it follows (the lock, or the current expiry).
 */
function fits(rule: LifecycleRule, bucket: ModelResource): boolean {
  const { expirationDays: current, noncurrentDays: noncurrent } = rule;
  if (current === undefined) return true;
  if (noncurrent === undefined) return false;
  const stated = statedMaxDays(bucket);
  if (stated !== undefined) return current + noncurrent <= stated;
  return noncurrent < (defaultRetentionDays(bucket) ?? current);
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
 * metadata `logvault:retention: { maxDays }`), and a current expiry without
 * a noncurrent one keeps the data for ever.
 */
export const S3VersionedExpiryMatchesRetention: AwsRule = {
  name: 'S3VersionedExpiryMatchesRetention',
  level: NagMessageLevel.ERROR,
  info: 'On this versioned bucket an expired object lives on as a noncurrent version: current-version expiry plus noncurrent expiry exceeds the stated retention (or doubles the lock), or noncurrent versions never expire.',
  doc: {
    title: 'Deleting object versions from a versioning-enabled bucket',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html',
    sentence:
      'The Expiration action applies to the current object version. Instead of deleting the current object version, Amazon S3 retains the current version as a noncurrent version by adding a delete marker, which then becomes the current version.',
  },
  appliesTo: ['AWS::S3::Bucket'],
  check: (bucket) => {
    if (!isVersioned(bucket)) return NOT_APPLICABLE;
    const rules = lifecycleRules(bucket).filter((r) => r.expirationDays !== undefined);
    if (rules.length === 0) return NOT_APPLICABLE;
    return verdict(rules.every((r) => fits(r, bucket)));
  },
};
