import { ApplyEvent, CaseRecord, RejectedRequest, ReleaseEvent, StatusEvent } from './case';
import type { HoldDeps, HoldOutcome } from './deps';
import { deleteExtracts, extractOcsp } from './ocsp-extract';
import { casePrefix } from '../naming';
import { AuditEntry, Membership, objectRef } from './registry';
import {
  assertApplyJobFinished,
  assertBatchAvailable,
  collectLegalHoldJob,
  submitLegalHoldJob,
} from './batch-path';
import { mapBounded } from './plan';
import {
  acmeVersionsInScope,
  alreadyApplied,
  auditStep,
  finishApply,
  forEachVersion,
  openCase,
  recordPending,
  releaseVersion,
  sum,
  totals,
  unfinished,
} from './steps';

/**
 * The three hold operations. Each takes a parsed event and its dependencies;
 * the Lambda handlers and the CLI's --local mode call exactly these.
 */

export type { HoldDeps, HoldOutcome, KeyFailure } from './deps';

/** Applies a case: ACME versions get legal hold and tag; OCSP records are extracted and held. */
export async function applyHold(deps: HoldDeps, event: ApplyEvent): Promise<HoldOutcome> {
  const request = event.case;
  const { caseId } = request;
  if (request.dataset === 'ocsp') return extractOcsp(deps, event);
  const versions = await acmeVersionsInScope(deps, request);
  const large = versions.length > deps.largeScopeThreshold;
  if (event.dryRun)
    return {
      caseId,
      result: 'dry-run',
      objectCount: versions.length,
      bytes: sum(versions),
      processed: 0,
      failures: [],
      ...(large ? { message: BATCH_NOTE(deps.largeScopeThreshold) } : {}),
    };
  // Before the case opens: a scope no path can take must leave nothing behind.
  assertBatchAvailable(deps, versions.length);
  const opened = await openCase(deps, request);
  if (opened.status === 'active') return alreadyApplied(opened);
  const job = await collectLegalHoldJob(deps, opened, 'apply', request.requester);
  if (job.answer) return job.answer;
  const todo = await recordPending(deps, caseId, versions);
  const unflagged = todo.filter((o) => !job.changed.has(objectRef(o))).length;
  if (unflagged > deps.largeScopeThreshold)
    return submitLegalHoldJob(deps, opened, 'apply', todo, request.requester);
  return finishApply(deps, request, todo, {}, job.changed);
}

const BATCH_NOTE = (threshold: number) =>
  `more than holds.largeScopeThreshold (${threshold}) versions: the flags will be set by an ` +
  'S3 Batch Operations job; rerun the apply to collect its report';

async function existingCase(deps: HoldDeps, caseId: string): Promise<CaseRecord> {
  const record = await deps.registry.getCase(caseId);
  if (!record) throw new RejectedRequest(`case ${caseId} does not exist`);
  return record;
}

/** Lifts the case's holds (ACME) or deletes its extract (OCSP); a second release changes nothing. */
export async function releaseHold(deps: HoldDeps, event: ReleaseEvent): Promise<HoldOutcome> {
  const { caseId } = event;
  const record = await existingCase(deps, caseId);
  const outcome = (r: CaseRecord, processed: number): HoldOutcome => ({
    caseId,
    result: 'complete',
    objectCount: r.objectCount,
    bytes: r.bytes,
    processed,
    failures: [],
    case: r,
  });
  if (record.status === 'released') return outcome(record, 0);
  if (event.dryRun) {
    const counted = await totals(deps, caseId);
    return { caseId, result: 'dry-run', ...counted, processed: 0, failures: [], case: record };
  }
  await assertApplyJobFinished(deps, record);
  await deps.registry.updateCase(caseId, ['applying', 'active', 'releasing'], 'releasing');
  await auditStep(deps, caseId, 'release-started', event.requester, { reason: event.reason });
  let processed = 0;
  let released: Partial<CaseRecord> = {};
  if (record.dataset === 'ocsp') {
    const deleted = await deleteExtracts(deps, caseId);
    processed = deleted.deletedVersions;
    if (deleted.failures.length > 0)
      return {
        caseId,
        result: 'incomplete',
        objectCount: record.objectCount,
        bytes: record.bytes,
        processed,
        failures: deleted.failures,
        message: 'rerun the same release to retry the failed keys',
      };
    // Counted by the run that finished; the audit entry's remainingVersions: 0 is the proof.
    released = { deletedVersions: deleted.deletedVersions };
    await auditStep(deps, caseId, 'extracts-deleted', event.requester, {
      prefix: `s3://${deps.buckets.investigations}/${casePrefix(caseId)}`,
      remainingVersions: 0,
    });
  } else {
    const job = await collectLegalHoldJob(deps, record, 'release', event.requester);
    if (job.answer) return job.answer;
    const members = await deps.registry.memberships(caseId);
    const free = await versionsOnlyThisCaseHolds(deps, members, job.changed);
    if (free.length > deps.largeScopeThreshold)
      return submitLegalHoldJob(deps, record, 'release', free, event.requester);
    // Released memberships are deleted, so each pass reads only what is left.
    const failed = new Set<string>();
    for (;;) {
      const left = (await deps.registry.memberships(caseId)).filter(
        (m) => !failed.has(`${m.key}#${m.versionId}`),
      );
      if (left.length === 0) break;
      const run = await forEachVersion(deps, left, (m) =>
        releaseVersion(deps, m, job.changed.has(objectRef(m))),
      );
      processed += run.processed;
      run.failures.forEach((f) => failed.add(`${f.key}#${f.versionId}`));
      const pending = unfinished(caseId, run, left, 'rerun the same release to continue');
      if (pending) return { ...pending, objectCount: record.objectCount, bytes: record.bytes };
    }
  }
  await deps.registry.updateCase(caseId, ['releasing'], 'released', {
    ...released,
    releasedAt: deps.now().toISOString(),
  });
  await auditStep(deps, caseId, 'release-completed', event.requester, {
    objectCount: record.objectCount,
    ...released,
  });
  return outcome((await deps.registry.getCase(caseId))!, processed);
}

/**
 * The case's versions whose flag may go OFF (no other case covers them), when
 * there are more than the direct path takes; otherwise none are looked up.
 * `alreadyOff`: versions a finished release job turned off.
 */
async function versionsOnlyThisCaseHolds(
  deps: HoldDeps,
  members: readonly Membership[],
  alreadyOff: ReadonlySet<string>,
): Promise<Membership[]> {
  const candidates = members.filter((m) => !alreadyOff.has(objectRef(m)));
  if (candidates.length <= deps.largeScopeThreshold) return [];
  const covered = await mapBounded(
    candidates,
    deps.concurrency,
    async (m) => (await deps.registry.otherCasesCovering(m, m.caseId)).length > 0,
  );
  return candidates.filter((_, i) => !covered[i]);
}

export interface CaseStatusView {
  readonly case: CaseRecord;
  readonly audit: AuditEntry[];
}

/** One case with its audit trail, or every case. */
export async function holdStatus(
  deps: Pick<HoldDeps, 'registry'>,
  event: StatusEvent,
): Promise<CaseStatusView | { cases: CaseRecord[] }> {
  if ('list' in event) return { cases: await deps.registry.listCases() };
  const record = await deps.registry.getCase(event.caseId);
  if (!record) throw new RejectedRequest(`case ${event.caseId} does not exist`);
  return { case: record, audit: await deps.registry.auditTrail(event.caseId) };
}
