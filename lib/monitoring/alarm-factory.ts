import { Construct } from 'constructs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { alarmName } from '../../core/naming';
import { LogvaultMetrics } from './logvault-metrics';

export interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** What to do about it: shown on the alarm and in every notification. */
  readonly description: string;
  /** @default GREATER_THAN_THRESHOLD */
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** @default NOT_BREACHING */
  readonly missingData?: cloudwatch.TreatMissingData;
}

/**
 * Every alarm of a stage, keyed by name: the constructs that know what to
 * watch create theirs here, each named `logvault-<stage> <name>`, and the
 * stage's monitoring sends all of them to the alarm topic. A name is used
 * once per stage.
 */
export class AlarmFactory {
  /** The stage's metric factory, so alarms and dashboard read the same definitions. */
  public readonly metrics: LogvaultMetrics;
  private readonly byName = new Map<string, cloudwatch.Alarm>();

  constructor(private readonly stage: string) {
    this.metrics = new LogvaultMetrics(stage);
  }

  /** Creates the alarm `name` in `scope` (construct id: the name without punctuation). */
  alarm(scope: Construct, name: string, spec: AlarmSpec): cloudwatch.Alarm {
    if (this.byName.has(name)) throw new Error(`alarm "${name}" is defined twice`);
    const alarm = new cloudwatch.Alarm(scope, name.replace(/[^A-Za-z0-9]/g, ''), {
      alarmName: alarmName(this.stage, name),
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: 1,
      comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: spec.missingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.byName.set(name, alarm);
    return alarm;
  }

  /** Every alarm created so far, by name. */
  get alarms(): ReadonlyMap<string, cloudwatch.Alarm> {
    return this.byName;
  }
}
