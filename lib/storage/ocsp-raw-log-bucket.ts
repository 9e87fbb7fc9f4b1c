import { Construct } from 'constructs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { classifyDataAt } from '../privacy/data-class';
import {
  SecureBucketDefaults,
  expireEverythingAfter,
  secureBucketProps,
} from './secure-bucket-props';
import { acknowledgeUnversionedExpiringBucket } from './nag-reasons';

export interface OcspRawLogBucketProps extends SecureBucketDefaults {
  /**
   * Days after which every raw OCSP object (data and Firehose error output) expires.
   * @default 5
   */
  readonly expiryDays?: number;
}

/**
 * Raw OCSP request logs. Unversioned on purpose, so that expiry really deletes:
 * every copy is gone in less than seven days.
 */
export class OcspRawLogBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: OcspRawLogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps(props, { lifecycleRules: [expireEverythingAfter(props.expiryDays ?? 5)] }),
    );
    classifyDataAt(this.bucket, 'ocsp-personal');
    acknowledgeUnversionedExpiringBucket(this.bucket);
  }
}
