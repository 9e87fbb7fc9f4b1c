import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_NAMESPACE } from '../../core/naming';

/** The metrics the seal reconciler publishes (lambdas/seal-reconciler), one method each. */
export function sealingMetrics(stage: string) {
  const metric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { Stage: stage },
      statistic,
      period: Duration.minutes(15),
    });
  return {
    /** Objects the reconciler sealed because no event did (should be 0). */
    reconcilerSealedObjects: () => metric('ReconcilerSealedObjects', 'Sum'),
    /** Landing objects that could not be sealed (conflict, verification failure). */
    sealFailures: () => metric('SealFailures', 'Sum'),
    /** Age in hours of the oldest object left in landing after a reconciler pass. */
    landingOldestObjectAgeHours: () => metric('LandingOldestObjectAgeHours', 'Maximum'),
  };
}
