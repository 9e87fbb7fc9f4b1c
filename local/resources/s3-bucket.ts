import {
  BucketLifecycleConfiguration,
  CreateBucketCommand,
  DefaultRetention,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import { ResourceCreator } from './types';
import { arns, awsPlacement } from '../../core/naming';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

interface CfnLifecycleRule {
  Id?: string;
  Status: string;
  Prefix?: string;
  ExpirationInDays?: number;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
  Transitions?: { StorageClass: string; TransitionInDays: number }[];
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
}

function toSdkLifecycle(rules: CfnLifecycleRule[]): BucketLifecycleConfiguration {
  return {
    Rules: rules.map((r) => ({
      ID: r.Id,
      Status: r.Status as 'Enabled' | 'Disabled',
      Filter: { Prefix: r.Prefix ?? '' },
      Expiration: r.ExpirationInDays === undefined ? undefined : { Days: r.ExpirationInDays },
      AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload,
      Transitions: r.Transitions?.map((t) => ({
        Days: t.TransitionInDays,
        StorageClass: t.StorageClass as any,
      })),
      NoncurrentVersionExpiration: r.NoncurrentVersionExpiration,
    })),
  };
}

/** Creates a bucket with the template's lock, versioning, lifecycle, encryption, access block and tags. */
export const createBucket: ResourceCreator = async (_id, p: any, { clients, ctx, defer }) => {
  const s3 = clients.s3;
  const Bucket: string = p.BucketName;
  if (!Bucket) throw new Error('BucketName is required locally (set bucketName on the construct)');
  await s3.send(
    new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: p.ObjectLockEnabled === true }),
  );
  if (p.VersioningConfiguration)
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket,
        VersioningConfiguration: p.VersioningConfiguration,
      }),
    );
  const retention = p.ObjectLockConfiguration?.Rule?.DefaultRetention;
  if (retention)
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: retention },
        },
      }),
    );
  if (p.LifecycleConfiguration)
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: toSdkLifecycle(p.LifecycleConfiguration.Rules),
      }),
    );
  if (p.BucketEncryption)
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: p.BucketEncryption.ServerSideEncryptionConfiguration.map((r: any) => ({
            ApplyServerSideEncryptionByDefault: r.ServerSideEncryptionByDefault,
            BucketKeyEnabled: r.BucketKeyEnabled,
          })),
        },
      }),
    );
  if (p.PublicAccessBlockConfiguration)
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: p.PublicAccessBlockConfiguration,
      }),
    );
  if (p.OwnershipControls)
    await s3.send(
      new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: p.OwnershipControls }),
    );
  // Like S3 itself, moto checks that the log target's bucket policy admits this
  // bucket, and that policy names this bucket: enable logging once both exist.
  if (p.LoggingConfiguration)
    defer(() =>
      s3.send(
        new PutBucketLoggingCommand({
          Bucket,
          BucketLoggingStatus: {
            LoggingEnabled: {
              TargetBucket: p.LoggingConfiguration.DestinationBucketName,
              TargetPrefix: p.LoggingConfiguration.LogFilePrefix ?? '',
            },
          },
        }),
      ),
    );
  if (p.NotificationConfiguration?.EventBridgeConfiguration)
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
  if (p.Tags) await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: p.Tags } }));
  return {
    ref: Bucket,
    attributes: {
      Arn: arns.bucket(awsPlacement(ctx.accountId, ctx.region), Bucket),
      DomainName: `${Bucket}.s3.amazonaws.com`,
      RegionalDomainName: `${Bucket}.s3.${ctx.region}.amazonaws.com`,
    },
  };
};

/**
 * moto judges a conditional Deny as matching whatever the condition says (it
 * cannot evaluate keys such as aws:SecureTransport), which would refuse every
 * object write. Such statements are left out locally and named in the note;
 * tests and `logvault audit` check them on the template instead.
 */
export function splitPolicyForStandin(document: { Statement: any[] }): {
  kept: any;
  omitted: string[];
} {
  const conditionalDeny = (s: any) => s.Effect === 'Deny' && s.Condition !== undefined;
  return {
    kept: { ...document, Statement: document.Statement.filter((s) => !conditionalDeny(s)) },
    omitted: document.Statement.filter(conditionalDeny).map(
      (s) => s.Sid ?? JSON.stringify(s.Condition),
    ),
  };
}

export const createBucketPolicy: ResourceCreator = async (id, p: any, { clients }) => {
  const { kept, omitted } = splitPolicyForStandin(p.PolicyDocument);
  if (kept.Statement.length > 0)
    await clients.s3.send(
      new PutBucketPolicyCommand({ Bucket: p.Bucket, Policy: JSON.stringify(kept) }),
    );
  return {
    ref: id,
    attributes: {},
    note:
      omitted.length > 0
        ? `conditional Deny left out (moto cannot evaluate it): ${omitted.join(', ')}`
        : undefined,
  };
};

async function optional<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (
      /NoSuch|NotFound|ObjectLockConfigurationNotFound|ServerSideEncryptionConfigurationNotFound/.test(
        name,
      )
    )
      return undefined;
    throw error;
  }
}

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

/** Drops undefined fields recursively, so read-back and template compare structurally. */
function prune<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
