import { Construct } from 'constructs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { dashboardName } from '../../core/naming';
import type { LogvaultMonitoringProps } from './logvault-monitoring';

/**
 * The stage's dashboard: ingest, delivery, retention, cases, the daily job,
 * and the status of every alarm.
 */
export function createDashboard(
  scope: Construct,
  props: LogvaultMonitoringProps,
  alarms: cloudwatch.Alarm[],
): cloudwatch.Dashboard {
  const { metrics } = props.alarms;
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: dashboardName(props.stage),
  });
  const streams = props.deliveryStreamNames;
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Ingest volume (records)',
      left: streams.map((s) => metrics.firehoseIncomingRecords(s)),
    }),
    new cloudwatch.GraphWidget({
      title: 'Delivery freshness (s)',
      left: streams.map((s) => metrics.firehoseDataFreshness(s)),
    }),
    new cloudwatch.GraphWidget({
      title: 'Throttled records',
      left: streams.map((s) => metrics.firehoseThrottledRecords(s)),
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Oldest OCSP copy (hours)',
      left: props.ocspPlaces.map((w) => metrics.own('oldestObjectAgeHours', w.place)),
      leftAnnotations: [
        { value: props.oldestOcspObjectAlarmHours ?? 156, label: 'alarm' },
        { value: 168, label: '7 days' },
      ],
    }),
    new cloudwatch.SingleValueWidget({ title: 'Open cases', metrics: [metrics.own('openCases')] }),
    new cloudwatch.SingleValueWidget({
      title: 'Extracts of closed cases (must be 0)',
      metrics: [metrics.own('closedCaseExtractObjects')],
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Daily aggregation (certificates aggregated, published)',
      left: [metrics.own('aggregatedCertificates'), metrics.own('publishedCertificates')],
      width: 24,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({
      title: 'Alarms (aggregation, sealing, holds, handlers)',
      alarms,
      width: 24,
    }),
  );
  return dashboard;
}
