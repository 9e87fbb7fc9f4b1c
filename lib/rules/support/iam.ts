import { AppModel, ModelResource, StackModel } from './app-model';
import { actionMatch, globMatch } from './glob';
import { UNKNOWN, renderList } from './render';

/** One policy statement, every value rendered (see `render`). */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Service principals (`events.amazonaws.com`), AWS principals, and `*`. */
  readonly services: readonly string[];
  readonly awsPrincipals: readonly string[];
  readonly anyPrincipal: boolean;
  /** condition operator -> key -> values */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

type Scope = ModelResource | StackModel;

function principalsOf(principal: unknown, stack: StackModel) {
  if (principal === '*') return { services: [], aws: [], any: true };
  const p = (principal ?? {}) as Record<string, unknown>;
  const aws = p.AWS === undefined ? [] : renderList(p.AWS, stack.scope);
  return {
    services: p.Service === undefined ? [] : renderList(p.Service, stack.scope),
    aws: aws.filter((a) => a !== '*'),
    any: aws.includes('*'),
  };
}

function conditionsOf(condition: unknown, stack: StackModel) {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, entries] of Object.entries((condition ?? {}) as Record<string, unknown>)) {
    out[operator] = {};
    for (const [key, value] of Object.entries((entries ?? {}) as Record<string, unknown>))
      out[operator][key] = renderList(value, stack.scope);
  }
  return out;
}

function stackOf(within: Scope): StackModel {
  return 'scope' in within ? within : within.stack;
}

/** Parses a policy document as seen from `within`'s stack. */
export function statementsOf(document: unknown, within: Scope): PolicyStatement[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const stack = stackOf(within);
  const scope = stack.scope;
  return list.map((s: Record<string, unknown>) => {
    const principals = principalsOf(s.Principal, stack);
    return {
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: renderList(s.Action, scope),
      notActions: renderList(s.NotAction, scope),
      resources: renderList(s.Resource, scope),
      notResources: renderList(s.NotResource, scope),
      services: principals.services,
      awsPrincipals: principals.aws,
      anyPrincipal: principals.any,
      conditions: conditionsOf(s.Condition, stack),
    };
  });
}

/** Whether the statement names `action` (through `Action` or around `NotAction`). */
export function coversAction(s: PolicyStatement, action: string): boolean {
  if (s.notActions.length > 0) return !s.notActions.some((p) => actionMatch(p, action));
  return s.actions.some((p) => actionMatch(p, action));
}

/** Whether the statement applies to one of `arns` (any form of the same resource). */
export function coversResource(s: PolicyStatement, arns: readonly string[]): boolean {
  if (s.notResources.length > 0)
    return arns.some((arn) => !s.notResources.some((p) => globMatch(p, arn)));
  if (s.resources.length === 0) return true;
  return s.resources.some((p) => p !== UNKNOWN && arns.some((arn) => globMatch(p, arn)));
}

/**
 * Whether the statements allow `action` on the resource: some Allow covers it
 * and no unconditional Deny does. Conditions on an Allow are taken as met
 * (the template cannot say otherwise); a conditional Deny is not counted.
 */
export function allows(
  statements: readonly PolicyStatement[],
  action: string,
  arns: readonly string[],
): boolean {
  const matches = (s: PolicyStatement) => coversAction(s, action) && coversResource(s, arns);
  const allowed = statements.some((s) => s.effect === 'Allow' && matches(s));
  const denied = statements.some(
    (s) => s.effect === 'Deny' && Object.keys(s.conditions).length === 0 && matches(s),
  );
  return allowed && !denied;
}

const identityCache = new WeakMap<ModelResource, PolicyStatement[]>();

function attachedTo(model: AppModel, policy: ModelResource, role: ModelResource): boolean {
  const roleName = model.render(role.properties.RoleName, role);
  return renderList(policy.properties.Roles, policy.stack.scope).some(
    (name) => name === role.refKey || (roleName !== undefined && name === roleName),
  );
}

/** Every identity-policy statement of a role: inline, `AWS::IAM::Policy`, managed policies of the app. */
export function identityStatements(model: AppModel, role: ModelResource): PolicyStatement[] {
  const cached = identityCache.get(role);
  if (cached) return cached;
  const inline = (role.properties.Policies ?? []) as { PolicyDocument?: unknown }[];
  const documents: [unknown, ModelResource][] = inline.map((p) => [p.PolicyDocument, role]);
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'])
    for (const policy of model.resources(type))
      if (attachedTo(model, policy, role))
        documents.push([policy.properties.PolicyDocument, policy]);
  for (const arn of (role.properties.ManagedPolicyArns ?? []) as unknown[]) {
    const managed = model.target(arn, role);
    if (managed?.type === 'AWS::IAM::ManagedPolicy')
      documents.push([managed.properties.PolicyDocument, managed]);
  }
  const statements = documents.flatMap(([doc, within]) => statementsOf(doc, within));
  identityCache.set(role, statements);
  return statements;
}

/** Whether a role's own policies allow `action` on the resource named by `arns`. */
export function roleAllows(
  model: AppModel,
  role: ModelResource,
  action: string,
  arns: readonly string[],
): boolean {
  return allows(identityStatements(model, role), action, arns);
}

/** The role a property (`Role`, `RoleArn`…) refers to, if it is one of the app's roles. */
export function roleOf(model: AppModel, value: unknown, within: ModelResource) {
  const role = model.target(value, within);
  return role?.type === 'AWS::IAM::Role' ? role : undefined;
}

/** Whether a role's trust policy lets `service` assume it. */
export function trusts(role: ModelResource, service: string): boolean {
  return statementsOf(role.properties.AssumeRolePolicyDocument, role).some(
    (s) =>
      s.effect === 'Allow' && s.services.includes(service) && coversAction(s, 'sts:AssumeRole'),
  );
}
