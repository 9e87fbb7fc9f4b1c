import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, MetricDatum, metricDefinitions } from '../../core/naming';

const metrics = new Metrics({ namespace: METRIC_NAMESPACE });

/**
 * Emits logvault's metrics as CloudWatch EMF on stdout, which CloudWatch
 * Logs turns into metrics: no PutMetricData call and no `*` grant for it.
 * Each datum is one EMF document keyed by Stage (and Place) alone, the
 * dimensions the alarms and the dashboard read (lib/monitoring): Powertools'
 * default `service` dimension would make them a different metric.
 */
export function publishMetrics(stage: string, data: readonly MetricDatum[]): void {
  for (const datum of data) {
    const definition = metricDefinitions[datum.metric];
    const single = metrics.singleMetric();
    single.clearDefaultDimensions();
    single.addDimension('Stage', stage);
    if (datum.place !== undefined) single.addDimension('Place', datum.place);
    single.addMetric(definition.name, definition.unit, datum.value);
  }
}
