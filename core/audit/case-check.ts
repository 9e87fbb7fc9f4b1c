import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditRow } from './stage-audit';
import { HoldRegistry, objectRef } from '../holds/registry';
import { OrphanDeps, findOrphans } from '../holds/orphans';
import { extractObjectsByCase } from '../monitoring/retention';

/**
 * Open cases vs registry, on the live account: every extract under
 * `cases/<id>/` of the investigations bucket must belong to a case the hold
 * registry still has open. Anything else is OCSP data the policy says is gone.
 */
export async function auditCasesAgainstRegistry(
  s3: S3Client,
  db: DynamoDBDocumentClient,
  names: { investigationsBucket: string; registryTable: string },
): Promise<AuditRow> {
  const registry = new HoldRegistry(db, names.registryTable);
  const open = await registry.openCaseIds();
  const byCase = await extractObjectsByCase(s3, names.investigationsBucket);
  const orphans = [...byCase].filter(([caseId]) => !open.has(caseId));
  const extracts = [...byCase.values()].reduce((a, b) => a + b, 0);
  return {
    promise: 'Investigation extracts exist only for open cases',
    mechanism:
      'release deletes every extract version; registry status vs objects under cases/<id>/',
    evidence:
      orphans.length > 0
        ? orphans
            .map(([caseId, n]) => `${n} object version(s) of closed or unknown case ${caseId}`)
            .join('; ')
        : `${open.size} open case(s), ${extracts} extract object version(s), none of a closed case`,
    verdict: orphans.length > 0 ? 'FAIL' : 'PASS',
  };
}

/**
 * Legal holds vs registry, on the live account: no version held that no case
 * covers, no version of an active case left unheld (core/holds/orphans.ts).
 */
export async function auditHoldsAgainstRegistry(deps: OrphanDeps): Promise<AuditRow> {
  const { heldUncovered, coveredNotHeld } = await findOrphans(deps);
  const findings = [
    ...heldUncovered.map((o) => `${objectRef(o)} is held but no case covers it`),
    ...coveredNotHeld.map((m) => `${objectRef(m)} of active case ${m.caseId} is not held`),
  ];
  return {
    promise: 'A version is under legal hold exactly when an active case covers it',
    mechanism:
      'coverage memberships in the hold registry vs each version’s legal-hold flag; `logvault hold repair` settles differences',
    evidence:
      findings.length > 0
        ? `${findings.length} orphan(s): ${findings.slice(0, 20).join('; ')}`
        : 'every legal-hold flag equals its registry coverage',
    verdict: findings.length > 0 ? 'FAIL' : 'PASS',
  };
}
