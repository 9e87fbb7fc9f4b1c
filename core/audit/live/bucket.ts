import {
  DefaultRetention,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import { optional, prune } from './absent';

/**
 * Reads a live bucket's retention-relevant configuration back into the shape
 * of `AWS::S3::Bucket` properties, so template and live checks share one judge.
 */
export async function readBucketAsTemplate(
  s3: S3Client,
  Bucket: string,
): Promise<Record<string, unknown>> {
  const [versioning, lock, lifecycle, encryption, access, tags] = await Promise.all([
    s3.send(new GetBucketVersioningCommand({ Bucket })),
    optional(s3.send(new GetObjectLockConfigurationCommand({ Bucket }))),
    optional(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))),
    optional(s3.send(new GetBucketEncryptionCommand({ Bucket }))),
    optional(s3.send(new GetPublicAccessBlockCommand({ Bucket }))),
    optional(s3.send(new GetBucketTaggingCommand({ Bucket }))),
  ]);
  const lockConfig = lock?.ObjectLockConfiguration;
  const rules = lifecycle?.Rules?.map((r) => ({
    Id: r.ID,
    Status: r.Status,
    Prefix: r.Filter?.Prefix || r.Prefix || undefined,
    ExpirationInDays: r.Expiration?.Days,
    ExpiredObjectDeleteMarker: r.Expiration?.ExpiredObjectDeleteMarker || undefined,
    AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload,
    Transitions: r.Transitions?.map((t) => ({
      StorageClass: t.StorageClass,
      TransitionInDays: t.Days,
    })),
    NoncurrentVersionExpiration: r.NoncurrentVersionExpiration,
  }));
  const sse: ServerSideEncryptionConfiguration | undefined =
    encryption?.ServerSideEncryptionConfiguration;
  return prune({
    BucketName: Bucket,
    VersioningConfiguration: versioning.Status ? { Status: versioning.Status } : undefined,
    ObjectLockEnabled: lockConfig?.ObjectLockEnabled === 'Enabled' ? true : undefined,
    ObjectLockConfiguration: lockConfig?.Rule?.DefaultRetention
      ? {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: defaultRetention(lockConfig.Rule.DefaultRetention) },
        }
      : undefined,
    LifecycleConfiguration: rules ? { Rules: rules } : undefined,
    BucketEncryption: sse
      ? {
          ServerSideEncryptionConfiguration: sse.Rules?.map((r) => ({
            ServerSideEncryptionByDefault: r.ApplyServerSideEncryptionByDefault,
            // S3 reports an unset bucket key as false; the template omits it.
            BucketKeyEnabled: r.BucketKeyEnabled || undefined,
          })),
        }
      : undefined,
    PublicAccessBlockConfiguration: access?.PublicAccessBlockConfiguration,
    Tags: tags?.TagSet,
  });
}

/** A retention has Days or Years; moto also reports the unset one as 0. */
function defaultRetention(r: DefaultRetention): DefaultRetention {
  return { Mode: r.Mode, Days: r.Days || undefined, Years: r.Years || undefined };
}

/** The bucket's policy document; a bucket without one has no statements. */
export async function readBucketPolicy(s3: S3Client, bucket: string): Promise<unknown> {
  try {
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return Policy ? JSON.parse(Policy) : { Statement: [] };
  } catch (error) {
    if (/NoSuchBucketPolicy/.test((error as { name?: string }).name ?? ''))
      return { Statement: [] };
    throw error;
  }
}
