import { workGroupEnforces } from '../naming';
import { DataClass } from './data-class';
import { CfnTemplate, RetentionPromises, takeInventory } from './inventory';
import { iamViolations } from './iam-rules';

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON */

export type Verdict = 'PASS' | 'FAIL';

/** One line of the audit table: a promise, what keeps it, what shows it, and the verdict. */
export interface AuditRow {
  readonly promise: string;
  readonly mechanism: string;
  readonly evidence: string;
  readonly verdict: Verdict;
}

const promiseOf = (dataClass: DataClass | undefined, p: RetentionPromises): string => {
  switch (dataClass) {
    case 'ocsp-personal':
      return 'OCSP request data is gone in < 7 days';
    case 'subscriber':
      return `Subscriber logs locked ≥ ${p.subscriberLockDays} days (${p.subscriberLockMode})`;
    case 'subscriber-landing':
      return `Unsealed subscriber logs leave landing within ${p.landingExpiryDays} days`;
    case 'ocsp-investigation':
      return 'Investigation extracts held per case, deleted at release';
    case 'aggregate':
      return 'Aggregates are kept and hold no personal data';
    case 'operational':
      return 'Operational records have bounded retention';
    default:
      return 'Every resting place is classified';
  }
};

/** `OcspRawLogsBucket23CE1D4A` → `OcspRawLogsBucket`: the hash CDK appends says nothing to a reader. */
export const readableId = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

const row = (
  promise: string,
  mechanism: string,
  problems: string[],
  passEvidence: string,
): AuditRow => ({
  promise,
  mechanism,
  evidence: problems.length > 0 ? problems.join('; ') : passEvidence,
  verdict: problems.length > 0 ? 'FAIL' : 'PASS',
});

function bucketProtection(stack: string, id: string, p: any): string[] {
  const problems: string[] = [];
  const sse =
    p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
  if (!sse) problems.push(`${stack}/${readableId(id)}: no default encryption`);
  const block = p.PublicAccessBlockConfiguration ?? {};
  const blocked = [
    'BlockPublicAcls',
    'BlockPublicPolicy',
    'IgnorePublicAcls',
    'RestrictPublicBuckets',
  ];
  if (!blocked.every((k) => block[k] === true))
    problems.push(`${stack}/${readableId(id)}: public access not fully blocked`);
  return problems;
}

function tlsOnlyBuckets(template: CfnTemplate): Set<string> {
  const covered = new Set<string>();
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::S3::BucketPolicy') continue;
    const p = resource.Properties as any;
    const denies = (p.PolicyDocument?.Statement ?? []).some(
      (s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
    );
    if (denies) covered.add(typeof p.Bucket === 'object' ? p.Bucket.Ref : p.Bucket);
  }
  return covered;
}

/**
 * Analysts' workgroups must enforce their configuration and bound each scan;
 * the jobs workgroup may not enforce (its CTAS writes the jobs' own buckets,
 * core/naming/workgroups.ts) and is bounded by its SQL. Both encrypt results.
 */
function workgroupProblems(stack: string, id: string, p: any): string[] {
  const c = p.WorkGroupConfiguration ?? {};
  const analysts = typeof p.Name !== 'string' || workGroupEnforces(p.Name);
  const problems: string[] = [];
  if (analysts && c.EnforceWorkGroupConfiguration !== true)
    problems.push('configuration not enforced');
  if (c.ResultConfiguration?.EncryptionConfiguration?.EncryptionOption !== 'SSE_KMS')
    problems.push('results not SSE_KMS');
  if (analysts && !c.BytesScannedCutoffPerQuery) problems.push('no bytes-scanned cutoff');
  return problems.map((m) => `${stack}/${readableId(id)}: ${m}`);
}

/**
 * Audits the templates of one stage (synthesized, or read back from a live
 * account into template shape) against every promise of the privacy policy.
 */
export function auditStage(
  templates: Record<string, CfnTemplate>,
  promises: RetentionPromises,
): AuditRow[] {
  const rows: AuditRow[] = [];
  const protection: string[] = [];
  const iam: string[] = [];
  for (const [stack, template] of Object.entries(templates)) {
    for (const place of takeInventory(template, promises)) {
      rows.push(
        row(
          promiseOf(place.dataClass, promises),
          place.mechanism,
          place.findings.map((f) => `${stack}/${readableId(place.logicalId)}: ${f}`),
          `${stack}/${readableId(place.logicalId)}`,
        ),
      );
    }
    const tlsOnly = tlsOnlyBuckets(template);
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::S3::Bucket') {
        protection.push(...bucketProtection(stack, id, p));
        if (!tlsOnly.has(id))
          protection.push(`${stack}/${readableId(id)}: no TLS-only bucket policy`);
      }
      if (resource.Type === 'AWS::Athena::WorkGroup')
        rows.push(
          row(
            'Athena results are encrypted, enforced and bounded',
            'SSE_KMS results; analysts: enforced configuration and bytes-scanned cutoff',
            workgroupProblems(stack, id, p),
            `${stack}/${readableId(id)}`,
          ),
        );
    }
    iam.push(...iamViolations(template).map((v) => `${stack}: ${v}`));
  }
  rows.push(
    row(
      'Every bucket is encrypted, TLS-only and never public',
      'default encryption (KMS; SSE-S3 for the access-log target), TLS-only Deny, Block Public Access',
      protection,
      'all buckets',
    ),
  );
  rows.push(
    row(
      'Nobody can unlock or delete locked data; only hold functions change legal holds',
      'IAM grants checked against docs/security.md allow-lists',
      iam,
      'no IAM grant breaks the rules',
    ),
  );
  return rows;
}
