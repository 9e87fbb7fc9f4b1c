import { NagMessageLevel } from 'cdk-nag';
import { AwsRule, NOT_APPLICABLE, verdict } from '../rule';
import { AppModel, ModelResource } from '../support/app-model';
import { arnForms } from '../support/arn-forms';
import { globMatch } from '../support/glob';
import { coversAction, identityStatements } from '../support/iam';
import { at, listOf } from '../support/props';

/** DynamoDB operations reported under the `Operation` dimension, by the IAM action that runs them. */
const OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
];

/** `[table, metric name, operation]` of every metric the alarm watches with an `Operation` dimension. */
function watched(model: AppModel, alarm: ModelResource) {
  const metrics = [
    alarm.properties,
    ...listOf(alarm.properties.Metrics).map((m) => at(m, 'MetricStat', 'Metric')),
  ];
  return metrics.flatMap((metric) => {
    if (at(metric, 'Namespace') !== 'AWS/DynamoDB') return [];
    const dims = listOf(at(metric, 'Dimensions'));
    const value = (name: string) =>
      at(
        dims.find((d) => at(d, 'Name') === name),
        'Value',
      );
    const table = model.target(value('TableName'), alarm);
    const operation = model.render(value('Operation'), alarm);
    if (!table || operation === undefined) return [];
    return [{ table, metric: String(at(metric, 'MetricName')), operation }];
  });
}

function grantedOperations(model: AppModel, table: ModelResource): Set<string> {
  const arns = arnForms(model, table);
  const granted = new Set<string>();
  for (const role of model.resources('AWS::IAM::Role'))
    for (const s of identityStatements(model, role)) {
      if (s.effect !== 'Allow' || !s.resources.some((p) => arns.some((a) => globMatch(p, a))))
        continue;
      for (const op of OPERATIONS) if (coversAction(s, `dynamodb:${op}`)) granted.add(op);
    }
  return granted;
}

/**
 * An alarm built from per-operation DynamoDB metrics sees only the
 * operations it names: SystemErrors, ThrottledRequests and the latency
 * metrics carry an `Operation` dimension: "This dimension limits the data to
 * one of the following DynamoDB operations" (Amazon DynamoDB Developer Guide,
 * "DynamoDB Metrics and dimensions", dimension Operation), so an operation
 * the app's roles are granted on the table but the alarm leaves out fails
 * unseen.
 */
export const DynamoDbAlarmsCoverGrantedOperations: AwsRule = {
  name: 'DynamoDbAlarmsCoverGrantedOperations',
  level: NagMessageLevel.WARN,
  info: "This alarm sums a DynamoDB metric per operation but leaves out an operation the app's roles run on the table (e.g. BatchWriteItem): its failures do not alarm.",
  doc: {
    title: 'DynamoDB Metrics and dimensions',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html',
    sentence: 'This dimension limits the data to one of the following DynamoDB operations:',
  },
  appliesTo: ['AWS::CloudWatch::Alarm'],
  check: (alarm, model) => {
    const metrics = watched(model, alarm);
    if (metrics.length === 0) return NOT_APPLICABLE;
    return verdict(
      metrics.every(({ table, metric }) => {
        const covered = new Set(
          metrics.filter((m) => m.table === table && m.metric === metric).map((m) => m.operation),
        );
        return [...grantedOperations(model, table)].every((op) => covered.has(op));
      }),
    );
  },
};
