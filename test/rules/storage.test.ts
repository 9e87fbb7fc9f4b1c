import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3EventRuleBucketSendsToEventBridge } from '../../lib/rules/events/S3EventRuleBucketSendsToEventBridge';
import { S3BatchOperationsRoleCoversObjectLockJobs } from '../../lib/rules/s3/S3BatchOperationsRoleCoversObjectLockJobs';
import { S3BucketNameFitsRules } from '../../lib/rules/s3/S3BucketNameFitsRules';
import { S3VersionedBucketRemovesExpiredDeleteMarkers } from '../../lib/rules/s3/S3VersionedBucketRemovesExpiredDeleteMarkers';
import { S3VersionedExpiryMatchesRetention } from '../../lib/rules/s3/S3VersionedExpiryMatchesRetention';
import { RETENTION_METADATA } from '../../lib/rules/support/lifecycle';
import { finding, findingsOf } from './fixture';

const BUCKET = 'Fixture/Archive/Resource';
const SEVEN_YEARS = 2555;

/** A COMPLIANCE-locked archive like the subscriber archive, with the given lifecycle. */
function archive(stack: Stack, rules: s3.LifecycleRule[]) {
  return new s3.Bucket(stack, 'Archive', {
    objectLockEnabled: true,
    objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(SEVEN_YEARS)),
    lifecycleRules: rules,
  });
}

describe('S3VersionedExpiryMatchesRetention (finding 4)', () => {
  const rule = S3VersionedExpiryMatchesRetention;

  it("fires on today's archive rule: expiry and noncurrent expiry both at lock + 30 days (about 14 years)", () => {
    const found = findingsOf(rule, (stack) =>
      archive(stack, [
        { expiration: Duration.days(2585), noncurrentVersionExpiration: Duration.days(2585) },
      ]),
    );
    expect(found).toEqual([finding(rule, BUCKET)]);
  });

  it('fires when expiry only adds delete markers and noncurrent versions never expire', () => {
    const found = findingsOf(rule, (stack) =>
      archive(stack, [{ expiration: Duration.days(2585) }]),
    );
    expect(found).toEqual([finding(rule, BUCKET)]);
  });

  it('fires when the stated retention is exceeded by current plus noncurrent days', () => {
    const found = findingsOf(rule, (stack) => {
      const bucket = archive(stack, [
        { expiration: Duration.days(2585), noncurrentVersionExpiration: Duration.days(30) },
      ]);
      (bucket.node.defaultChild as s3.CfnBucket).addMetadata(RETENTION_METADATA, { maxDays: 2586 });
    });
    expect(found).toEqual([finding(rule, BUCKET)]);
  });

  it('fires when a 2,555-day lock (7 × 365) falls short of the stated 7 calendar years', () => {
    const found = findingsOf(rule, (stack) => {
      const bucket = archive(stack, [
        { expiration: Duration.days(2585), noncurrentVersionExpiration: Duration.days(1) },
      ]);
      (bucket.node.defaultChild as s3.CfnBucket).addMetadata(RETENTION_METADATA, {
        minDays: 2556,
        maxDays: 2586,
      });
    });
    expect(found).toEqual([finding(rule, BUCKET)]);
  });

  it('passes when the versions of a stated 7 years + 30 days live no longer than that', () => {
    const found = findingsOf(rule, (stack) => {
      const bucket = archive(stack, [
        { expiration: Duration.days(SEVEN_YEARS), noncurrentVersionExpiration: Duration.days(30) },
      ]);
      (bucket.node.defaultChild as s3.CfnBucket).addMetadata(RETENTION_METADATA, {
        minDays: SEVEN_YEARS,
        maxDays: 2585,
      });
    });
    expect(found).toEqual([]);
  });

  it('passes without a stated retention when noncurrent versions go one day after the lock-plus-margin expiry', () => {
    const found = findingsOf(rule, (stack) =>
      archive(stack, [
        { expiration: Duration.days(2585), noncurrentVersionExpiration: Duration.days(1) },
      ]),
    );
    expect(found).toEqual([]);
  });
});

describe('S3VersionedBucketRemovesExpiredDeleteMarkers (finding 4)', () => {
  const rule = S3VersionedBucketRemovesExpiredDeleteMarkers;

  it('fires when current versions expire and no rule removes the delete markers left behind', () => {
    const found = findingsOf(rule, (stack) =>
      archive(stack, [
        { expiration: Duration.days(2585), noncurrentVersionExpiration: Duration.days(1) },
      ]),
    );
    expect(found).toEqual([finding(rule, BUCKET)]);
  });

  it('passes with a separate rule that only removes expired delete markers', () => {
    const found = findingsOf(rule, (stack) =>
      archive(stack, [
        { expiration: Duration.days(2585), noncurrentVersionExpiration: Duration.days(1) },
        { expiredObjectDeleteMarker: true },
      ]),
    );
    expect(found).toEqual([]);
  });
});

describe('S3BatchOperationsRoleCoversObjectLockJobs (finding 3)', () => {
  const rule = S3BatchOperationsRoleCoversObjectLockJobs;

  function batchRole(stack: Stack, withLockCheck: boolean) {
    const target = archive(stack, []);
    const manifests = new s3.Bucket(stack, 'Manifests');
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('batchoperations.s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(stack).account } },
      }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObjectLegalHold'],
        resources: [target.arnForObjects('acme/*')],
      }),
    );
    manifests.grantRead(role, 'hold-jobs/*');
    manifests.grantPut(role, 'hold-jobs/*');
    if (withLockCheck)
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetBucketObjectLockConfiguration'],
          resources: [target.bucketArn],
        }),
      );
  }

  it('fires on a legal-hold role that cannot read the bucket Object Lock configuration', () => {
    const found = findingsOf(rule, (stack) => batchRole(stack, false));
    expect(found).toEqual([finding(rule, 'Fixture/Role/Resource')]);
  });

  it('passes with s3:GetBucketObjectLockConfiguration, manifest read and report write', () => {
    const found = findingsOf(rule, (stack) => batchRole(stack, true));
    expect(found).toEqual([]);
  });
});

describe('S3BucketNameFitsRules (finding 10: stage names the schema allows)', () => {
  const rule = S3BucketNameFitsRules;

  /** The subscriber landing bucket name, as the storage constructs build it (pseudo parameters, not literals). */
  const landing = (stack: Stack, stage: string) =>
    new s3.Bucket(stack, 'Landing', {
      bucketName: `logvault-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}-subscriber-landing`,
    });

  it('fires for a 16-character stage once the account id and the longest Region name fill in', () => {
    const found = findingsOf(rule, (stack) => landing(stack, 'abcdefghijklmnop'));
    expect(found).toEqual([finding(rule, 'Fixture/Landing/Resource')]);
  });

  it('fires for a pinned stack whose Region pushes the name past 63 characters (CDK cannot see it: the name is a token)', () => {
    const found = findingsOf(rule, (stack) => landing(stack, 'qa-long-stage'), {
      stackProps: { env: { account: '123456789012', region: 'ap-southeast-2' } },
    });
    expect(found).toEqual([finding(rule, 'Fixture/Landing/Resource')]);
  });

  it('passes for prod, whose names stay within 63 characters in any Region', () => {
    const found = findingsOf(rule, (stack) => landing(stack, 'prod'));
    expect(found).toEqual([]);
  });
});

describe('S3EventRuleBucketSendsToEventBridge', () => {
  const rule = S3EventRuleBucketSendsToEventBridge;

  function onObjectCreated(stack: Stack, eventBridgeEnabled: boolean) {
    const landing = new s3.Bucket(stack, 'Landing', {
      bucketName: 'logvault-dev-landing',
      eventBridgeEnabled,
    });
    new events.Rule(stack, 'Rule', {
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [landing.bucketName] } },
      },
    });
  }

  it('fires when the bucket the rule listens to does not send events to EventBridge', () => {
    const found = findingsOf(rule, (stack) => onObjectCreated(stack, false));
    expect(found).toEqual([finding(rule, 'Fixture/Rule/Resource')]);
  });

  it('passes when the bucket sends its events to EventBridge', () => {
    const found = findingsOf(rule, (stack) => onObjectCreated(stack, true));
    expect(found).toEqual([]);
  });
});
