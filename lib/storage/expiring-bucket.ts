import { Construct } from 'constructs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataClass } from '../privacy/data-class';
import {
  SecureBucketDefaults,
  expireEverythingAfter,
  createDataBucket,
} from './secure-bucket-props';
import { acknowledgeUnversionedExpiringBucket } from './nag-reasons';

export interface ExpiringBucketProps extends SecureBucketDefaults {
  /** What the bucket holds; decides which promise the privacy inventory checks. */
  readonly dataClass: Extract<DataClass, 'ocsp-personal' | 'subscriber-landing'>;
  /** Days after which every object is removed. */
  readonly expiryDays: number;
  /**
   * Publish Object Created events to EventBridge (set on the L1 resource: the
   * L2 switch adds a custom-resource Lambda to do the same).
   * @default false
   */
  readonly eventBridgeEnabled?: boolean;
}

/**
 * A bucket whose every object expires after a few days: OCSP raw logs, Athena
 * results, subscriber landing. Unversioned on purpose, so that expiry really
 * deletes instead of leaving noncurrent versions behind.
 */
export class ExpiringBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ExpiringBucketProps) {
    super(scope, id);
    this.bucket = createDataBucket(this, props, {
      overrides: { lifecycleRules: [expireEverythingAfter(props.expiryDays)] },
      dataClass: props.dataClass,
      acknowledge: acknowledgeUnversionedExpiringBucket,
    });
    if (props.eventBridgeEnabled)
      (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
        eventBridgeConfiguration: { eventBridgeEnabled: true },
      };
  }
}
