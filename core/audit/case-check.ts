import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditRow } from './stage-audit';
import { HoldRegistry } from '../holds/registry';
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
