import { CaseRecord, CaseRequest, RejectedRequest } from './case';

/**
 * What an apply may do with a case id that already exists: resume it (the
 * same request, after a crash or a timeout), or nothing. The reason and
 * ticket are part of the case's record and its `apply-started` audit entry,
 * written once; a re-apply that brings new ones is refused naming the
 * field, never accepted while the new values are dropped (docs/holds.md,
 * "Re-applying a case"). The requester may differ: another on-call engineer
 * may finish a colleague's apply, and the audit trail names who ran each step.
 * `fingerprint` is the request's, keyed under the case's data key as the
 * registry keeps it (core/holds/case-secrets.ts). The status is checked
 * first: a released case's key may already be destroyed.
 */
export function assertResumable(
  record: CaseRecord,
  request: CaseRequest,
  fingerprint: string,
): CaseRecord {
  const { caseId } = request;
  if (record.status === 'releasing' || record.status === 'released')
    throw new RejectedRequest(
      `case ${caseId} is ${record.status}; a released case cannot be re-applied, open a new case id`,
    );
  if (record.fingerprint !== fingerprint)
    throw new RejectedRequest(
      `case ${caseId} already exists with another dataset or scope; ` +
        'use a new case id (a case never changes scope)',
    );
  const changed = (['reason', 'ticket'] as const).filter((f) => record[f] !== request[f]);
  if (changed.length > 0)
    throw new RejectedRequest(
      `case ${caseId} already exists with ticket ${record.ticket} and its own reason; this request's ` +
        `${changed.join(' and ')} differ${changed.length === 1 ? 's' : ''}. A case keeps the reason ` +
        'and ticket it was opened with: rerun with the same --reason and --ticket (see `logvault hold ' +
        `show ${caseId}\`), or open a new case id for the new request`,
    );
  return record;
}
