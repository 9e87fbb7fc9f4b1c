import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureBucketDefaults, createDataBucket } from './secure-bucket-props';
import { acknowledgeSingleRegionBucket } from './nag-reasons';

/**
 * Long-term aggregates (requests per certificate per day, published dataset).
 * They identify no user or device, so they are kept; versioned so a rerun of
 * a daily job that replaces a partition can be inspected and rolled back.
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
            noncurrentVersionExpiration: Duration.days(30),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
      },
      dataClass: 'aggregate',
      acknowledge: acknowledgeSingleRegionBucket,
    });
  }
}
