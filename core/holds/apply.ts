import type { ApplyEvent } from './case';
import type { HoldDeps, HoldOutcome } from './deps';
import { applyDryRun, refusedAsApplyWould } from './dry-run';
import { extractOcsp } from './ocsp-extract';
import { objectRef } from './registry';
import { assertBatchAvailable, collectLegalHoldJob, submitLegalHoldJob } from './batch-path';
import { acmeVersionsInScope, alreadyApplied, finishApply, openCase, recordPending } from './steps';

/**
 * Applies a case: ACME versions get legal hold and tag; OCSP records are
 * extracted and held. The Lambda handler and the CLI's --local mode call
 * exactly this.
 */
export async function applyHold(deps: HoldDeps, event: ApplyEvent): Promise<HoldOutcome> {
  const request = event.case;
  const { caseId } = request;
  if (request.dataset === 'ocsp') {
    if (event.dryRun) await refusedAsApplyWould(deps, request);
    return extractOcsp(deps, event);
  }
  const listing = await acmeVersionsInScope(deps, request);
  const large = listing.versions.length > deps.largeScopeThreshold;
  if (event.dryRun)
    return applyDryRun(
      deps,
      request,
      listing.versions,
      large ? batchNote(deps.largeScopeThreshold) : undefined,
    );
  // Before the case opens: a scope no path can take must leave nothing behind.
  assertBatchAvailable(deps, listing.versions.length);
  const opened = await openCase(deps, request);
  if (opened.status === 'active') return alreadyApplied(opened);
  // A version sealed between the listing and the case's opening found no case
  // to join (core/holds/standing.ts): list once more now that the case is open.
  const late = await acmeVersionsInScope(deps, request, listing.listed);
  const versions = [...listing.versions, ...late.versions];
  const job = await collectLegalHoldJob(deps, opened, 'apply', request.requester);
  if (job.answer) return job.answer;
  const todo = await recordPending(deps, caseId, versions);
  const unflagged = todo.filter((o) => !job.changed.has(objectRef(o))).length;
  if (unflagged > deps.largeScopeThreshold)
    return submitLegalHoldJob(deps, opened, 'apply', todo, request.requester);
  return finishApply(deps, request, todo, {}, job.changed);
}

const batchNote = (threshold: number) =>
  `more than holds.largeScopeThreshold (${threshold}) versions: the flags will be set by an ` +
  'S3 Batch Operations job; rerun the apply to collect its report';
