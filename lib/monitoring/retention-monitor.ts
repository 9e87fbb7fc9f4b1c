import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { prefixes, registryIndexes } from '../../core/naming';
import { binding, functionEnvironment } from '../compute/function-environment';
import { bucketBinding, stageBucket, tableBinding } from '../compute/grants';
import { LoggedFunction } from '../compute/logged-function';
import type { LogvaultMonitoringProps } from './logvault-monitoring';

const LIST = ['s3:ListBucket', 's3:ListBucketVersions'];
/** Reads a version's legal-hold flag, never its content. */
const READ_HOLD = ['s3:GetObjectLegalHold'];
const ORPHAN_WHY =
  'The orphan check reads the legal-hold flag of every version a case can hold; keys are known only when listed.';

/**
 * The hourly retention monitor: lists the watched OCSP places and the
 * investigations bucket, reads the legal-hold flags of the versions a case
 * can hold (never an object's content), and reads the hold registry.
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
    description:
      'Publishes OCSP copy age, closed-case extracts and legal holds out of step with the registry',
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
      ARCHIVE_BUCKET: bucketBinding(
        stageBucket(props.stage, 'subscriber-archive', props.encryptionKey, props.archive),
        {
          objects: [{ prefix: prefixes.acme, actions: READ_HOLD, why: ORPHAN_WHY }],
          bucket: { actions: ['s3:ListBucketVersions'], prefixes: [prefixes.acme] },
        },
      ),
      INVESTIGATIONS_BUCKET: bucketBinding(
        stageBucket(props.stage, 'investigations', props.encryptionKey, props.investigations),
        {
          objects: [{ prefix: prefixes.cases, actions: READ_HOLD, why: ORPHAN_WHY }],
          bucket: { actions: LIST },
        },
      ),
      // The base table answers which cases cover one version; byCase lists an active case's versions.
      HOLD_REGISTRY_TABLE: tableBinding(props.holdRegistry, {
        read: {
          actions: ['dynamodb:Query'],
          indexes: [registryIndexes.cases, registryIndexes.byCase],
        },
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
