import type { CaseRecord, StatusEvent } from './case';
import type { HoldDeps } from './deps';
import type { AuditEntry, Membership } from './registry';
import { existingCase, sum } from './steps';

/** A case's memberships counted by state, read from the registry at the time of asking. */
export interface MembershipCounts {
  /** Versions whose flag the case has settled ON. */
  readonly held: number;
  readonly heldBytes: number;
  /** Recorded, flag not settled yet (the apply is still working on them). */
  readonly pending: number;
  /** The release has taken them; deleted once their flag is settled. */
  readonly releasing: number;
}

export interface CaseStatusView {
  readonly case: CaseRecord;
  readonly audit: AuditEntry[];
  /**
   * Counted now from the memberships while the case is `applying` or
   * `releasing`, or an `active` ACME case (sealing adds standing holds): the
   * case's stored totals are written only when a step completes, so they
   * would say 0 held while hundreds are.
   */
  readonly memberships?: MembershipCounts;
}

export function countMemberships(members: readonly Membership[]): MembershipCounts {
  const held = members.filter((m) => m.state === 'held');
  return {
    held: held.length,
    heldBytes: sum(held),
    pending: members.filter((m) => m.state === 'pending').length,
    releasing: members.filter((m) => m.state === 'releasing').length,
  };
}

/** One case with its audit trail, or every case. Reads only. */
export async function holdStatus(
  deps: Pick<HoldDeps, 'registry'>,
  event: StatusEvent,
): Promise<CaseStatusView | { cases: CaseRecord[] }> {
  if ('list' in event) return { cases: await deps.registry.listCases() };
  const record = await existingCase(deps, event.caseId);
  const audit = await deps.registry.auditTrail(event.caseId);
  // An active ACME case keeps gaining versions after its apply (standing holds, core/holds/standing.ts).
  const counting =
    record.status === 'applying' ||
    record.status === 'releasing' ||
    (record.status === 'active' && record.dataset === 'acme');
  if (!counting) return { case: record, audit };
  const memberships = countMemberships(await deps.registry.memberships(event.caseId));
  return { case: record, audit, memberships };
}
