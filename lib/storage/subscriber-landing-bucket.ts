import { Construct } from 'constructs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { classifyDataAt } from '../privacy/data-class';
import {
  SecureBucketDefaults,
  expireEverythingAfter,
  secureBucketProps,
} from './secure-bucket-props';
import { acknowledgeUnversionedExpiringBucket } from './nag-reasons';

export interface SubscriberLandingBucketProps extends SecureBucketDefaults {
  /**
   * Days an object may wait here. Sealing moves objects to the archive within
   * the hour; expiry only bounds what a broken sealer leaves behind.
   * @default 3
   */
  readonly expiryDays?: number;
}

/**
 * Where Firehose delivers subscriber logs before they are sealed into the
 * locked archive (Firehose uploads carry no Content-MD5 or checksum header,
 * which writes into a bucket with default retention require).
 */
export class SubscriberLandingBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SubscriberLandingBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(
      this,
      'Bucket',
      secureBucketProps(props, { lifecycleRules: [expireEverythingAfter(props.expiryDays ?? 3)] }),
    );
    // Sealing reacts to Object Created events through EventBridge. Set on the L1
    // resource directly: the L2 switch adds a custom-resource Lambda to do the same.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    classifyDataAt(this.bucket, 'subscriber-landing');
    acknowledgeUnversionedExpiringBucket(this.bucket);
  }
}
