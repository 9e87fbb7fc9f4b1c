import { Construct } from 'constructs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { classifyDataAt } from '../privacy/data-class';
import { SecureBucketDefaults, secureBucketProps } from './secure-bucket-props';
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
    this.bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps(props, { versioned: true, objectLockEnabled: true }),
    );
    classifyDataAt(this.bucket, 'ocsp-investigation');
    acknowledgeSingleRegionBucket(this.bucket);
  }
}
