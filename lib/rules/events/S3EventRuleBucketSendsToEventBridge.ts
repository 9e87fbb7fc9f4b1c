import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { at, listOf } from '../support/props';

/** On the bucket itself, or through CDK's `Custom::S3BucketNotifications` (what `eventBridgeEnabled` makes). */
function sendsToEventBridge(model: AppModel, bucket: ModelResource): boolean {
  const own = at(bucket.properties, 'NotificationConfiguration', 'EventBridgeConfiguration');
  if (at(own, 'EventBridgeEnabled') === true) return true;
  return model
    .resources('Custom::S3BucketNotifications')
    .some(
      (n) =>
        model.target(n.properties.BucketName, n) === bucket &&
        at(n.properties, 'NotificationConfiguration', 'EventBridgeConfiguration') !== undefined,
    );
}

/**
 * A rule matching S3 object events only ever fires for buckets that send
 * their events to EventBridge: "After EventBridge is enabled, all events
 * below are sent to EventBridge." (Amazon S3 User Guide, "Using
 * EventBridge"); until then nothing is sent and the rule waits for ever.
 * Buckets named in the rule's pattern that belong to the app must turn it on
 * (`EventBridgeConfiguration` on the bucket, or CDK's notifications resource).
 */
export const S3EventRuleBucketSendsToEventBridge: AwsRule = {
  name: 'S3EventRuleBucketSendsToEventBridge',
  level: NagMessageLevel.ERROR,
  info: 'This rule matches S3 events of a bucket of the app that does not send events to EventBridge (EventBridgeEnabled): the rule never fires.',
  doc: {
    title: 'Using EventBridge (Amazon S3)',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html',
    sentence: 'After EventBridge is enabled, all events below are sent to EventBridge.',
  },
  appliesTo: ['AWS::Events::Rule'],
  check: (rule, model) => {
    const pattern = rule.properties.EventPattern;
    if (!listOf(at(pattern, 'source')).includes('aws.s3')) return NOT_APPLICABLE;
    const names = listOf(at(pattern, 'detail', 'bucket', 'name')).map((n) => model.render(n, rule));
    const buckets = model
      .resources('AWS::S3::Bucket')
      .filter((b) => names.includes(model.render(b.properties.BucketName, b)));
    if (buckets.length === 0) return NOT_APPLICABLE;
    return verdict(buckets.every((b) => sendsToEventBridge(model, b)));
  },
};
