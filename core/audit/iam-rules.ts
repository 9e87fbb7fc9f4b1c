import { CfnTemplate } from './inventory';

/**
 * Who may do the few S3 actions that could break a retention promise. Checked
 * on every IAM policy of the synthesized templates (tests and `logvault audit`).
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON */

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

/** A statement that allows an action, found in a policy attached to a role. */
export interface Grant {
  readonly policy: string;
  /** Logical ids and names of the roles the policy is attached to. */
  readonly roles: string[];
  readonly actions: string[];
  readonly resources: string;
}

/** Actions no role may ever hold, on any resource. */
export const forbiddenActions = [
  's3:PutBucketObjectLockConfiguration',
  's3:BypassGovernanceRetention',
];

/**
 * Deleting objects is allowed only in these buckets (by logical id or by the
 * `logvault-<stage>-<account>-<region>-<purpose>` name), to these roles.
 */
export const allowedDeleters: { bucket: RegExp; role: RegExp; why: string }[] = [
  {
    bucket: /SubscriberLanding|-subscriber-landing\b/,
    role: /seal/i,
    why: 'sealing removes a landing object once archived',
  },
  {
    bucket: /Investigations|-investigations\b/,
    role: /hold/i,
    why: 'releasing an OCSP case deletes its extracts',
  },
  {
    bucket: /Aggregates|-aggregates\b/,
    role: /aggregat/i,
    why: 'a rerun of the daily job replaces its own day',
  },
];

/**
 * Only roles matching this may change legal holds: the hold functions, and
 * the two sealing functions (`logvault-<stage>-seal`, `-seal-reconciler`,
 * not `-seal-digest`), which hold what they archive into an open case's
 * scope (standing holds, core/holds/standing.ts).
 */
export const legalHoldRole = /hold|-seal(?:-reconciler)?(?![\w-])/i;

const asList = (v: string | string[] | undefined) =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const globToRegExp = (glob: string) =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

/** True when `granted` (possibly a wildcard like `s3:Delete*` or `*`) covers `action`. */
export function actionCovers(granted: string, action: string): boolean {
  return globToRegExp(granted).test(action);
}

function roleNames(template: CfnTemplate, roleRefs: unknown[]): string[] {
  return roleRefs.map((ref: any) => {
    const id = typeof ref === 'object' && ref?.Ref ? ref.Ref : String(JSON.stringify(ref));
    const name = (template.Resources?.[id]?.Properties as any)?.RoleName;
    return name ? `${id} (${JSON.stringify(name)})` : id;
  });
}

/** Every Allow statement of every IAM policy in `template`, with the roles it reaches. */
export function grantsIn(template: CfnTemplate): Grant[] {
  const grants: Grant[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const p = (resource.Properties ?? {}) as any;
    const documents: { name: string; doc: any; roles: unknown[] }[] = [];
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
      documents.push({ name: id, doc: p.PolicyDocument, roles: p.Roles ?? [] });
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of p.Policies ?? [])
        documents.push({
          name: `${id}/${inline.PolicyName}`,
          doc: inline.PolicyDocument,
          roles: [{ Ref: id }],
        });
    }
    for (const { name, doc, roles } of documents) {
      for (const statement of (doc?.Statement ?? []) as Statement[]) {
        if (statement.Effect !== 'Allow') continue;
        grants.push({
          policy: name,
          roles: roleNames(template, roles),
          actions: asList(statement.Action),
          resources: JSON.stringify(statement.Resource ?? '*'),
        });
      }
    }
  }
  return grants;
}

/** Violations of the IAM rules above in `template`, one sentence each; empty when it keeps them. */
export function iamViolations(template: CfnTemplate): string[] {
  const violations: string[] = [];
  for (const grant of grantsIn(template)) {
    const where = `${grant.policy} → ${grant.roles.join(', ') || 'no role'}`;
    const roles = grant.roles.join(' ');
    for (const action of grant.actions) {
      if (action === '*' || action.toLowerCase() === 's3:*')
        violations.push(`${where}: grants ${action}`);
      for (const forbidden of forbiddenActions)
        if (actionCovers(action, forbidden))
          violations.push(`${where}: grants ${forbidden} (via ${action})`);
      if (actionCovers(action, 's3:PutObjectLegalHold') && !legalHoldRole.test(roles))
        violations.push(`${where}: only hold functions may change legal holds (via ${action})`);
      if (
        actionCovers(action, 's3:DeleteObject') ||
        actionCovers(action, 's3:DeleteObjectVersion')
      ) {
        const allowed = allowedDeleters.some(
          (d) => d.bucket.test(grant.resources) && d.role.test(roles),
        );
        if (!allowed)
          violations.push(`${where}: may delete objects in ${grant.resources} (via ${action})`);
      }
    }
  }
  return violations;
}
