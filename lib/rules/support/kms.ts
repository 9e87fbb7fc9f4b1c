import { AppModel, ModelResource } from './app-model';
import { arnForms } from './arn-forms';
import { globMatch } from './glob';
import { PolicyStatement, allows, coversAction, roleAllows, statementsOf } from './iam';

/** What encrypts a resource, as far as the template can tell. */
export type KeyUse =
  | { readonly kind: 'none' }
  | { readonly kind: 'cmk'; readonly key: ModelResource }
  /** `alias/aws/<service>`: its key policy cannot be changed to let another service in. */
  | { readonly kind: 'aws-managed'; readonly name: string }
  /** A key outside this app: its policy cannot be read here. */
  | { readonly kind: 'external'; readonly name: string };

/** Resolves a key property (`KmsMasterKeyId`, `KmsKeyArn`…) to the key it names. */
export function keyUse(model: AppModel, value: unknown, within: ModelResource): KeyUse {
  if (value === undefined || value === null) return { kind: 'none' };
  const target = model.target(value, within);
  if (target?.type === 'AWS::KMS::Key') return { kind: 'cmk', key: target };
  if (target?.type === 'AWS::KMS::Alias')
    return keyUse(model, target.properties.TargetKeyId, target);
  const name = model.render(value, within) ?? '?';
  if (name.includes('alias/aws/')) return { kind: 'aws-managed', name };
  const alias = model.resources('AWS::KMS::Alias').find((a) => {
    const aliasName = model.render(a.properties.AliasName, a);
    return aliasName !== undefined && aliasName.startsWith('alias/') && name.endsWith(aliasName);
  });
  if (alias) return keyUse(model, alias.properties.TargetKeyId, alias);
  return { kind: 'external', name };
}

function keyStatements(key: ModelResource): PolicyStatement[] {
  return statementsOf(key.properties.KeyPolicy, key);
}

const CONTEXT_OPERATORS = ['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals'];

/** Whether an encryption-context condition (e.g. `kms:EncryptionContext:aws:logs:arn`) admits one of `contexts`. */
function contextAdmits(s: PolicyStatement, contextKey: string, contexts?: readonly string[]) {
  if (!contexts) return true;
  for (const operator of CONTEXT_OPERATORS) {
    const patterns = s.conditions[operator]?.[contextKey];
    if (patterns && !patterns.some((p) => contexts.some((c) => globMatch(p, c)))) return false;
  }
  return true;
}

/**
 * Whether the key policy lets an AWS service principal (not a role) perform
 * every one of `actions`. `context` narrows statements conditioned on an
 * encryption-context key to the values this use will send.
 */
export function keyLetsService(
  key: ModelResource,
  service: string,
  actions: readonly string[],
  context?: { key: string; values: readonly string[] },
): boolean {
  const statements = keyStatements(key);
  return actions.every((action) => {
    const granted = statements.some(
      (s) =>
        s.effect === 'Allow' &&
        (s.anyPrincipal || s.services.includes(service)) &&
        coversAction(s, action) &&
        (!context || contextAdmits(s, context.key, context.values)),
    );
    const denied = statements.some(
      (s) =>
        s.effect === 'Deny' &&
        Object.keys(s.conditions).length === 0 &&
        (s.anyPrincipal || s.services.includes(service)) &&
        coversAction(s, action),
    );
    return granted && !denied;
  });
}

function accountPrincipals(model: AppModel, key: ModelResource): string[] {
  const partition = model.render({ Ref: 'AWS::Partition' }, key);
  const account = model.render({ Ref: 'AWS::AccountId' }, key);
  return [`arn:${partition}:iam::${account}:root`, String(account)];
}

/**
 * Whether a role may perform every one of `actions` with the key: either the
 * key policy names the role, or it delegates to IAM (the account principal)
 * and the role's own policies allow the action on the key.
 */
export function keyLetsRole(
  model: AppModel,
  key: ModelResource,
  role: ModelResource,
  actions: readonly string[],
): boolean {
  const statements = keyStatements(key);
  const roleArns = arnForms(model, role);
  const account = accountPrincipals(model, key);
  const keyArns = arnForms(model, key);
  return actions.every((action) => {
    const names = (principals: readonly string[]) =>
      allows(
        statements.filter(
          (s) => s.anyPrincipal || s.awsPrincipals.some((p) => principals.includes(p)),
        ),
        action,
        ['*'],
      );
    if (names(roleArns)) return true;
    return names(account) && roleAllows(model, role, action, keyArns);
  });
}
