import type { CaseRecord, StatusEvent } from './case';
import type { HoldDeps } from './deps';
import type { AuditEntry } from './registry';
import { existingCase } from './steps';

export interface CaseStatusView {
  readonly case: CaseRecord;
  readonly audit: AuditEntry[];
}

/** One case with its audit trail, or every case. Reads only. */
export async function holdStatus(
  deps: Pick<HoldDeps, 'registry'>,
  event: StatusEvent,
): Promise<CaseStatusView | { cases: CaseRecord[] }> {
  if ('list' in event) return { cases: await deps.registry.listCases() };
  const record = await existingCase(deps, event.caseId);
  return { case: record, audit: await deps.registry.auditTrail(event.caseId) };
}
