import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { registryIndexes } from '../../core/naming';
import { binding, functionEnvironment } from '../compute/function-environment';
import { bucketBinding, stageBucket, tableBinding } from '../compute/grants';
import { LoggedFunction } from '../compute/logged-function';
import type { LogvaultMonitoringProps } from './logvault-monitoring';

const LIST = ['s3:ListBucket', 's3:ListBucketVersions'];

/**
 * The hourly retention monitor: lists the watched OCSP places and the
 * investigations bucket (never reads an object), and lists cases through the
 * registry's `cases` index.
 */
export function createRetentionMonitor(
  scope: Construct,
  props: LogvaultMonitoringProps,
): LoggedFunction {
  const places = props.ocspPlaces.map((w) => ({
    place: w.place,
    bucket: w.bucket.bucketName,
    versioned: w.versioned ?? false,
  }));
  const monitor = new LoggedFunction(scope, 'RetentionMonitor', {
    stage: props.stage,
    name: 'retention-monitor',
    description: 'Publishes the age of the oldest OCSP copy and closed-case extracts',
    encryptionKey: props.encryptionKey,
    logRetention: props.logRetention,
    asyncDeadLetterQueue: true,
    reservedConcurrency: 1,
    timeout: Duration.minutes(5),
    environment: functionEnvironment('retention-monitor', {
      WATCHED_PLACES: binding('buckets', JSON.stringify(places), (role) => {
        for (const w of props.ocspPlaces)
          role.addToPolicy(
            new iam.PolicyStatement({ actions: LIST, resources: [w.bucket.bucketArn] }),
          );
      }),
      INVESTIGATIONS_BUCKET: bucketBinding(
        stageBucket(props.stage, 'investigations', props.encryptionKey, props.investigations),
        { bucket: { actions: LIST } },
      ),
      HOLD_REGISTRY_TABLE: tableBinding(props.holdRegistry, {
        read: { actions: ['dynamodb:Query'], indexes: [registryIndexes.cases], indexesOnly: true },
      }),
    }),
  });
  new events.Rule(scope, 'Hourly', {
    description: `logvault ${props.stage}: measure retention every hour`,
    schedule: events.Schedule.rate(Duration.hours(1)),
    targets: [
      new targets.LambdaFunction(monitor.function, {
        deadLetterQueue: monitor.deadLetterQueue,
        retryAttempts: 2,
      }),
    ],
  });
  return monitor;
}
