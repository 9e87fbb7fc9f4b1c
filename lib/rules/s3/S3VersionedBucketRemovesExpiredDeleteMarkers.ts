import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { isVersioned, lifecycleRules } from '../support/lifecycle';

/**
 * Expiring current versions of a versioned bucket leaves a delete marker per
 * object, which the same rule only removes once the marker is itself old
 * enough: "When you specify the Days tag, Amazon S3 automatically performs
 * ExpiredObjectDeleteMarker cleanup when the delete markers are old enough to
 * satisfy the age criteria. To clean up delete markers as soon as they become
 * the only version, create a separate rule with only the
 * ExpiredObjectDeleteMarker tag." (Amazon S3 User Guide, "Examples of S3
 * Lifecycle configuration"). Until then every expired key stays listed.
 */
export const S3VersionedBucketRemovesExpiredDeleteMarkers: AwsRule = {
  name: 'S3VersionedBucketRemovesExpiredDeleteMarkers',
  level: NagMessageLevel.WARN,
  info: 'This versioned bucket expires current versions but has no separate rule with ExpiredObjectDeleteMarker for the same objects: delete markers of expired keys linger for years.',
  doc: {
    title: 'Examples of S3 Lifecycle configuration: Removing expired object delete markers',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html',
    sentence:
      'To clean up delete markers as soon as they become the only version, create a separate rule with only the ExpiredObjectDeleteMarker tag.',
  },
  appliesTo: ['AWS::S3::Bucket'],
  check: (bucket) => {
    if (!isVersioned(bucket)) return NOT_APPLICABLE;
    const rules = lifecycleRules(bucket);
    const expiring = rules.filter((r) => r.expirationDays !== undefined);
    if (expiring.length === 0) return NOT_APPLICABLE;
    const cleaned = new Set(rules.filter((r) => r.removesExpiredDeleteMarkers).map((r) => r.scope));
    const everything = JSON.stringify([null, null]);
    return verdict(expiring.every((r) => cleaned.has(r.scope) || cleaned.has(everything)));
  },
};
