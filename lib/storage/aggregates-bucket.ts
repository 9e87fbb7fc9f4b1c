import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { prefixes } from '../../core/naming';
import { SecureBucketDefaults, createDataBucket } from './secure-bucket-props';
import { acknowledgeSingleRegionBucket } from './nag-reasons';

/**
 * Long-term aggregates (requests per certificate per day, published dataset).
 * They identify no user or device, so they are kept; versioned so a rerun of
 * a daily job that replaces a partition can be inspected and rolled back.
 * The published dataset (`publish/`) is written once per day and never
 * changed: the bucket policy refuses, for everyone, deleting anything there
 * and any PutObject without `If-None-Match` (condition key
 * `s3:if-none-match`, AWS "Enforce conditional writes on Amazon S3
 * buckets"), so no second noisy version of a day can exist to be diffed.
 */
export class AggregatesBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketDefaults) {
    super(scope, id);
    this.bucket = createDataBucket(this, props, {
      overrides: {
        versioned: true,
        lifecycleRules: [
          {
            id: 'DropReplacedVersions',
            enabled: true,
            // Only the replaceable aggregate: publish/'s version history is what
            // refuses republishing a deleted day, so it is never pruned.
            prefix: prefixes.ocspCertDaily,
            noncurrentVersionExpiration: Duration.days(30),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
          {
            id: 'DropReplacedRankVersions',
            enabled: true,
            prefix: prefixes.ocspCertRankDaily,
            noncurrentVersionExpiration: Duration.days(30),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
      },
      dataClass: 'aggregate',
      acknowledge: acknowledgeSingleRegionBucket,
    });
    this.protectPublished();
  }

  private protectPublished(): void {
    const published = this.bucket.arnForObjects(`${prefixes.publish}*`);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublishedDaysAreNeverDeleted',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [published],
      }),
    );
    // Multipart parts cannot carry the header, so multipart uploads are refused
    // here too; a day's release is a few MB, written by one PutObject.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublishedDaysAreWrittenOnce',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [published],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
  }
}
