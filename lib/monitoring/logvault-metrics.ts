import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { METRIC_NAMESPACE, MetricKey, metricDefinitions } from '../../core/naming';

/**
 * How each of logvault's own metrics is read: the retention monitor runs
 * hourly, the reconciler every 15 minutes, the aggregation once a day.
 */
const READINGS: Record<MetricKey, { statistic: string; period: Duration }> = {
  oldestObjectAgeHours: { statistic: 'Maximum', period: Duration.hours(1) },
  closedCaseExtractObjects: { statistic: 'Maximum', period: Duration.hours(1) },
  openCases: { statistic: 'Maximum', period: Duration.hours(1) },
  orphanedHolds: { statistic: 'Maximum', period: Duration.hours(1) },
  reconcilerSealedObjects: { statistic: 'Sum', period: Duration.minutes(15) },
  sealFailures: { statistic: 'Sum', period: Duration.minutes(15) },
  digestChainBreaks: { statistic: 'Sum', period: Duration.hours(1) },
  digestSigningRefused: { statistic: 'Sum', period: Duration.hours(1) },
  anchorFailures: { statistic: 'Sum', period: Duration.hours(1) },
  quarantinedObjects: { statistic: 'Sum', period: Duration.hours(1) },
  anchorPublicationFailures: { statistic: 'Sum', period: Duration.hours(1) },
  landingOldestObjectAgeHours: { statistic: 'Maximum', period: Duration.minutes(15) },
  daysAggregated: { statistic: 'Sum', period: Duration.days(1) },
  aggregatedCertificates: { statistic: 'Maximum', period: Duration.days(1) },
  publishedCertificates: { statistic: 'Maximum', period: Duration.days(1) },
  publicationsRefused: { statistic: 'Sum', period: Duration.days(1) },
  ocspRecordsAfterFinal: { statistic: 'Sum', period: Duration.days(1) },
  ocspRecordsWithoutCertificate: { statistic: 'Sum', period: Duration.days(1) },
};

/**
 * One method per metric the monitoring uses, so alarms and dashboard widgets
 * read the same definitions. logvault's own metrics come from the catalog the
 * handlers emit from (core/naming/metrics.ts). Firehose metrics:
 * https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
 */
export class LogvaultMetrics {
  constructor(private readonly stage: string) {}

  /** Age of the oldest record in the stream not yet delivered to S3 (seconds). */
  firehoseDataFreshness(stream: string): cloudwatch.Metric {
    return this.firehose(stream, 'DeliveryToS3.DataFreshness', 'Maximum');
  }

  /** Share of successful S3 puts (1 = all delivered). */
  firehoseDeliverySuccess(stream: string): cloudwatch.Metric {
    return this.firehose(stream, 'DeliveryToS3.Success', 'Average');
  }

  firehoseThrottledRecords(stream: string): cloudwatch.Metric {
    return this.firehose(stream, 'ThrottledRecords', 'Sum');
  }

  firehoseIncomingRecords(stream: string): cloudwatch.Metric {
    return this.firehose(stream, 'IncomingRecords', 'Sum');
  }

  lambdaErrors(fn: lambda.IFunction, period = Duration.minutes(5)): cloudwatch.Metric {
    return fn.metricErrors({ period, statistic: 'Sum' });
  }

  lambdaThrottles(fn: lambda.IFunction): cloudwatch.Metric {
    return fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' });
  }

  /**
   * One of logvault's own metrics (core/naming/metrics.ts), read at the
   * statistic and period its producer's schedule calls for.
   */
  own(key: MetricKey, place?: string): cloudwatch.Metric {
    const { statistic, period } = READINGS[key];
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: metricDefinitions[key].name,
      dimensionsMap: { Stage: this.stage, ...(place === undefined ? {} : { Place: place }) },
      statistic,
      period,
    });
  }

  private firehose(stream: string, metricName: string, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Firehose',
      metricName,
      dimensionsMap: { DeliveryStreamName: stream },
      statistic,
      period: Duration.minutes(5),
    });
  }
}
