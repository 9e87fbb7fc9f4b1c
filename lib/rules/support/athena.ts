import { AppModel, ModelResource } from './app-model';
import { arnForms } from './arn-forms';
import { roleAllows } from './iam';
import { at } from './props';

/** Metadata key on a function: the Athena statements its code runs (see docs/aws-rules.md). */
export const ATHENA_STATEMENTS_METADATA = 'logvault:athenaStatements';

/** Statement kinds a function declares under `logvault:athenaStatements`. */
export type AthenaStatementKind =
  'select' | 'ctas' | 'ctas-external-location' | 'insert-into' | 'drop-table' | 'unload';

/** The workgroups of the app a role may start queries in. */
export function workGroupsOf(model: AppModel, role: ModelResource): ModelResource[] {
  return model
    .resources('AWS::Athena::WorkGroup')
    .filter((wg) => roleAllows(model, role, 'athena:StartQueryExecution', arnForms(model, wg)));
}

/** Whether the workgroup overrides client-side settings (`EnforceWorkGroupConfiguration`, default true). */
export function enforces(workGroup: ModelResource): boolean {
  const value = at(workGroup.properties, 'WorkGroupConfiguration', 'EnforceWorkGroupConfiguration');
  return value === undefined ? true : value === true || value === 'true';
}

/** `s3://bucket/prefix/` of the workgroup's results, as an object ARN prefix. */
export function resultsArnPrefix(model: AppModel, workGroup: ModelResource): string | undefined {
  const location = model.render(
    at(workGroup.properties, 'WorkGroupConfiguration', 'ResultConfiguration', 'OutputLocation'),
    workGroup,
  );
  if (location === undefined || !location.startsWith('s3://')) return undefined;
  const partition = model.render({ Ref: 'AWS::Partition' }, workGroup);
  return `arn:${partition}:s3:::${location.slice('s3://'.length)}`;
}

/** The statement kinds a function declares, or `undefined` when it declares none. */
export function declaredStatements(
  fn: ModelResource,
): { workGroup?: string; kinds: AthenaStatementKind[] } | undefined {
  const declared = fn.metadata[ATHENA_STATEMENTS_METADATA];
  if (declared === undefined) return undefined;
  const kinds = at(declared, 'statements');
  const workGroup = at(declared, 'workGroup');
  return {
    workGroup: typeof workGroup === 'string' ? workGroup : undefined,
    kinds: Array.isArray(kinds) ? (kinds as AthenaStatementKind[]) : [],
  };
}
