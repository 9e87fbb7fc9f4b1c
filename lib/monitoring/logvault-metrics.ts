import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { METRIC_NAMESPACE, MetricKey, metricDefinitions } from '../../core/naming';

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

  /** Retention monitor: age in hours of the oldest copy in a watched place. */
  oldestObjectAgeHours(place: string): cloudwatch.Metric {
    return this.own('oldestObjectAgeHours', 'Maximum', Duration.hours(1), place);
  }

  /** Retention monitor: extract objects still stored for closed cases (must be 0). */
  closedCaseExtractObjects(): cloudwatch.Metric {
    return this.own('closedCaseExtractObjects', 'Maximum', Duration.hours(1));
  }

  /** Retention monitor: cases currently open in the hold registry. */
  openCases(): cloudwatch.Metric {
    return this.own('openCases', 'Maximum', Duration.hours(1));
  }

  /** Seal reconciler, every 15 minutes. */
  reconcilerSealedObjects(): cloudwatch.Metric {
    return this.own('reconcilerSealedObjects', 'Sum', Duration.minutes(15));
  }

  sealFailures(): cloudwatch.Metric {
    return this.own('sealFailures', 'Sum', Duration.minutes(15));
  }

  landingOldestObjectAgeHours(): cloudwatch.Metric {
    return this.own('landingOldestObjectAgeHours', 'Maximum', Duration.minutes(15));
  }

  /** Daily aggregation, once a day. */
  daysAggregated(): cloudwatch.Metric {
    return this.own('daysAggregated', 'Sum', Duration.days(1));
  }

  aggregatedCertificates(): cloudwatch.Metric {
    return this.own('aggregatedCertificates', 'Maximum', Duration.days(1));
  }

  publishedCertificates(): cloudwatch.Metric {
    return this.own('publishedCertificates', 'Maximum', Duration.days(1));
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

  private own(key: MetricKey, statistic: string, period: Duration, place?: string) {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: metricDefinitions[key].name,
      dimensionsMap: { Stage: this.stage, ...(place === undefined ? {} : { Place: place }) },
      statistic,
      period,
    });
  }
}
