import { Construct } from 'constructs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { classifyDataAt } from '../privacy/data-class';
import {
  SecureBucketDefaults,
  expireEverythingAfter,
  secureBucketProps,
} from './secure-bucket-props';
import { acknowledgeUnversionedExpiringBucket } from './nag-reasons';

export interface QueryResultsBucketProps extends SecureBucketDefaults {
  /**
   * Days Athena query results are kept. Results can contain client IPs, so
   * this must not exceed the OCSP raw-log expiry.
   * @default 1
   */
  readonly expiryDays?: number;
}

/** Athena query results: a copy of whatever was queried, so it expires like OCSP data. */
export class QueryResultsBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: QueryResultsBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps(props, { lifecycleRules: [expireEverythingAfter(props.expiryDays ?? 1)] }),
    );
    classifyDataAt(this.bucket, 'ocsp-personal');
    acknowledgeUnversionedExpiringBucket(this.bucket);
  }
}
