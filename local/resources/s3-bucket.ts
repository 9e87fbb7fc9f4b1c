import {
  BucketLifecycleConfiguration,
  CreateBucketCommand,
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
} from '@aws-sdk/client-s3';
import { ResourceCreator } from './types';
import { arns, awsPlacement } from '../../core/naming';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

interface CfnLifecycleRule {
  Id?: string;
  Status: string;
  Prefix?: string;
  ExpirationInDays?: number;
  ExpiredObjectDeleteMarker?: boolean;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
  Transitions?: { StorageClass: string; TransitionInDays: number }[];
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
}

/** S3 takes either a day count or the delete-marker flag in one Expiration element. */
function expirationOf(r: CfnLifecycleRule) {
  if (r.ExpirationInDays !== undefined) return { Days: r.ExpirationInDays };
  if (r.ExpiredObjectDeleteMarker) return { ExpiredObjectDeleteMarker: true };
  return undefined;
}

function toSdkLifecycle(rules: CfnLifecycleRule[]): BucketLifecycleConfiguration {
  return {
    Rules: rules.map((r) => ({
      ID: r.Id,
      Status: r.Status as 'Enabled' | 'Disabled',
      Filter: { Prefix: r.Prefix ?? '' },
      Expiration: expirationOf(r),
      AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload,
      Transitions: r.Transitions?.map((t) => ({
        Days: t.TransitionInDays,
        StorageClass: t.StorageClass as any,
      })),
      NoncurrentVersionExpiration: r.NoncurrentVersionExpiration,
    })),
  };
}

/** The calls that give a new bucket each setting its template declares, in order. */
function settingCalls(s3: S3Client, Bucket: string, p: any): (() => Promise<unknown>)[] {
  const retention = p.ObjectLockConfiguration?.Rule?.DefaultRetention;
  const encryption = p.BucketEncryption && {
    Rules: p.BucketEncryption.ServerSideEncryptionConfiguration.map((r: any) => ({
      ApplyServerSideEncryptionByDefault: r.ServerSideEncryptionByDefault,
      BucketKeyEnabled: r.BucketKeyEnabled,
    })),
  };
  const lock = { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: retention } };
  const calls: (false | undefined | (() => Promise<unknown>))[] = [
    p.VersioningConfiguration &&
      (() =>
        s3.send(
          new PutBucketVersioningCommand({
            Bucket,
            VersioningConfiguration: p.VersioningConfiguration,
          }),
        )),
    retention &&
      (() =>
        s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: lock }))),
    p.LifecycleConfiguration &&
      (() =>
        s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: toSdkLifecycle(p.LifecycleConfiguration.Rules),
          }),
        )),
    encryption &&
      (() =>
        s3.send(
          new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: encryption }),
        )),
    p.PublicAccessBlockConfiguration &&
      (() =>
        s3.send(
          new PutPublicAccessBlockCommand({
            Bucket,
            PublicAccessBlockConfiguration: p.PublicAccessBlockConfiguration,
          }),
        )),
    p.OwnershipControls &&
      (() =>
        s3.send(
          new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: p.OwnershipControls }),
        )),
    p.NotificationConfiguration?.EventBridgeConfiguration &&
      (() =>
        s3.send(
          new PutBucketNotificationConfigurationCommand({
            Bucket,
            NotificationConfiguration: { EventBridgeConfiguration: {} },
          }),
        )),
    p.Tags && (() => s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: p.Tags } }))),
  ];
  return calls.filter((c): c is () => Promise<unknown> => typeof c === 'function');
}

/** Creates a bucket with the template's lock, versioning, lifecycle, encryption, access block and tags. */
export const createBucket: ResourceCreator = async (_id, p: any, { clients, ctx, defer }) => {
  const s3 = clients.s3;
  const Bucket: string = p.BucketName;
  if (!Bucket) throw new Error('BucketName is required locally (set bucketName on the construct)');
  await s3.send(
    new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: p.ObjectLockEnabled === true }),
  );
  for (const call of settingCalls(s3, Bucket, p)) await call();
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
