import { AppModel, ModelResource } from './app-model';
import { arnForms } from './arn-forms';
import { encryptionKeyOf } from './encryption';
import { PolicyStatement, coversAction, coversResource, roleAllows, statementsOf } from './iam';
import { globMatch } from './glob';
import { keyLetsRole, keyLetsService } from './kms';
import { listOf } from './props';
import { renderList } from './render';

/** What sending to a queue or topic takes: the send action and, under SSE-KMS, the data-key actions. */
const SENDS: Record<string, { action: string; keyActions: readonly string[] }> = {
  'AWS::SQS::Queue': {
    action: 'sqs:SendMessage',
    keyActions: ['kms:GenerateDataKey', 'kms:Decrypt'],
  },
  'AWS::SNS::Topic': { action: 'sns:Publish', keyActions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  'AWS::Lambda::Function': { action: 'lambda:InvokeFunction', keyActions: [] },
  'AWS::Events::EventBus': { action: 'events:PutEvents', keyActions: [] },
  // A schedule's target: starting an execution (Scheduler User Guide, "Set up the execution role").
  'AWS::StepFunctions::StateMachine': { action: 'states:StartExecution', keyActions: [] },
};

/** Whether `resource` is something a service or role can deliver messages to. */
export function isDestination(resource: ModelResource | undefined): resource is ModelResource {
  return resource !== undefined && SENDS[resource.type] !== undefined;
}

/**
 * Whether a role can deliver to `destination`: the send action on it and,
 * when a customer managed key encrypts it, the key's data-key actions. An AWS
 * managed key admits every principal of the account that may use the service.
 */
export function roleCanDeliver(model: AppModel, role: ModelResource, destination: ModelResource) {
  const send = SENDS[destination.type];
  if (!roleAllows(model, role, send.action, arnForms(model, destination))) return false;
  const key = encryptionKeyOf(model, destination);
  if (key.kind === 'cmk') return keyLetsRole(model, key.key, role, send.keyActions);
  return key.kind !== 'external';
}

const POLICY_TYPES: Record<string, { type: string; list: string }> = {
  'AWS::SQS::Queue': { type: 'AWS::SQS::QueuePolicy', list: 'Queues' },
  'AWS::SNS::Topic': { type: 'AWS::SNS::TopicPolicy', list: 'Topics' },
};

/** The statements of every resource policy attached to a queue or topic (`undefined`: none attached). */
export function resourcePolicyOf(
  model: AppModel,
  destination: ModelResource,
): PolicyStatement[] | undefined {
  const kind = POLICY_TYPES[destination.type];
  if (!kind) return undefined;
  const policies = model
    .resources(kind.type)
    .filter((p) => renderList(p.properties[kind.list], p.stack.scope).includes(destination.refKey));
  if (policies.length === 0) return undefined;
  return policies.flatMap((p) => statementsOf(p.properties.PolicyDocument, p));
}

function sourceAdmits(s: PolicyStatement, sources: readonly string[]): boolean {
  for (const operator of ['ArnEquals', 'ArnLike', 'StringEquals', 'StringLike']) {
    const patterns = s.conditions[operator]?.['aws:SourceArn'];
    if (patterns && !patterns.some((p) => sources.some((src) => globMatch(p, src)))) return false;
  }
  return true;
}

/**
 * Whether an AWS service (acting for `sourceArns`) may send to a queue or
 * topic: its resource policy lets the service principal in (an SNS topic
 * without a topic policy keeps SNS's default, which admits the account's
 * services), and a customer managed key lets the service use the key.
 */
export function serviceCanDeliver(
  model: AppModel,
  service: string,
  destination: ModelResource,
  sourceArns: readonly string[],
): boolean {
  const send = SENDS[destination.type];
  const statements = resourcePolicyOf(model, destination);
  const arns = arnForms(model, destination);
  const applies = (s: PolicyStatement) =>
    (s.anyPrincipal || s.services.includes(service)) &&
    coversAction(s, send.action) &&
    coversResource(s, arns);
  const admitted =
    statements === undefined
      ? destination.type === 'AWS::SNS::Topic'
      : statements.some((s) => s.effect === 'Allow' && applies(s) && sourceAdmits(s, sourceArns)) &&
        !statements.some(
          (s) => s.effect === 'Deny' && Object.keys(s.conditions).length === 0 && applies(s),
        );
  const key = encryptionKeyOf(model, destination);
  const keyOk =
    key.kind === 'none' ||
    (key.kind === 'cmk' && keyLetsService(key.key, service, send.keyActions));
  return admitted && keyOk;
}

/** The alarms (metric and composite) that name `resource` among their actions. */
export function alarmsActingOn(model: AppModel, resource: ModelResource): ModelResource[] {
  const types = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];
  return types.flatMap((type) =>
    model
      .resources(type)
      .filter((alarm) =>
        ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((prop) =>
          listOf(alarm.properties[prop]).some((a) => model.target(a, alarm) === resource),
        ),
      ),
  );
}
