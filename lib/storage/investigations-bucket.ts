import { Construct } from 'constructs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureBucketDefaults, createDataBucket } from './secure-bucket-props';
import { acknowledgeSingleRegionBucket } from './nag-reasons';

/**
 * OCSP records extracted for an open investigation, one prefix per case.
 * Object Lock is enabled so extracts can carry a legal hold, but there is no
 * default retention and no lifecycle expiry: closing the case deletes them.
 */
export class InvestigationsBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketDefaults) {
    super(scope, id);
    this.bucket = createDataBucket(this, props, {
      overrides: { versioned: true, objectLockEnabled: true },
      dataClass: 'ocsp-investigation',
      acknowledge: acknowledgeSingleRegionBucket,
    });
  }
}
