import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { METRIC_NAMESPACE } from '../../core/naming';

/**
 * One method per metric the monitoring uses, so alarms and dashboard widgets
 * read the same definitions. Firehose metrics:
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

  lambdaErrors(fn: lambda.IFunction): cloudwatch.Metric {
    return fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
  }

  lambdaThrottles(fn: lambda.IFunction): cloudwatch.Metric {
    return fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' });
  }

  /** Published by the retention monitor: age in hours of the oldest copy in a watched place. */
  oldestObjectAgeHours(place: string): cloudwatch.Metric {
    return this.own('OldestObjectAgeHours', { Place: place }, 'Maximum');
  }

  /** Published by the retention monitor: extract objects still stored for closed cases (must be 0). */
  closedCaseExtractObjects(): cloudwatch.Metric {
    return this.own('ClosedCaseExtractObjects', {}, 'Maximum');
  }

  /** Published by the retention monitor: cases currently open in the hold registry. */
  openCases(): cloudwatch.Metric {
    return this.own('OpenCases', {}, 'Maximum');
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

  private own(
    metricName: string,
    dimensions: Record<string, string>,
    statistic: string,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { Stage: this.stage, ...dimensions },
      statistic,
      period: Duration.hours(1),
    });
  }
}
