import type { CaseRecord, ReleaseEvent } from './case';
import type { HoldDeps, HoldOutcome } from './deps';
import { dropExtractTable } from './extract-table';
import { deleteExtracts } from './ocsp-extract';
import { Membership, objectRef } from './registry';
import { assertApplyJobFinished, collectLegalHoldJob, submitLegalHoldJob } from './batch-path';
import { mapBounded } from '../pool';
import { casePrefix } from '../naming';
import { auditStep, existingCase, forEachVersion, releaseVersion, sum, unfinished } from './steps';

/**
 * Releasing a case: legal-hold release, in one place. ACME versions lose the
 * case's hold (the flag goes OFF only where no other case covers a version);
 * an OCSP case's extract is deleted, every version. A second release changes
 * nothing; a release that stopped part-way continues when rerun.
 */

/** What a release step answers: the outcome to return now, or the fields its completion records. */
type ReleaseStep = { stopped: HoldOutcome } | { released: Partial<CaseRecord>; processed: number };

/** Lifts the case's holds (ACME) or deletes its extract (OCSP). */
export async function releaseHold(deps: HoldDeps, event: ReleaseEvent): Promise<HoldOutcome> {
  const { caseId } = event;
  const record = await existingCase(deps, caseId);
  if (record.status === 'released') return completed(record, 0);
  if (event.dryRun) return releaseDryRun(deps, record);
  await assertApplyJobFinished(deps, record);
  await deps.registry.updateCase(caseId, ['applying', 'active', 'releasing'], 'releasing');
  await auditStep(deps, caseId, 'release-started', event.requester, { reason: event.reason });
  const step =
    record.dataset === 'ocsp'
      ? await releaseExtract(deps, record, event.requester)
      : await releaseAcmeVersions(deps, record, event.requester);
  if ('stopped' in step) return step.stopped;
  // Forgetting: without the wrapped key nobody can read whom the case was about
  // (core/holds/case-secrets.ts). Before `released`, so a crash in between reruns it.
  await deps.registry.deleteCaseKey(caseId);
  await deps.registry.updateCase(caseId, ['releasing'], 'released', {
    ...step.released,
    releasedAt: deps.now().toISOString(),
  });
  await auditStep(deps, caseId, 'release-completed', event.requester, {
    objectCount: record.objectCount,
    ...step.released,
    caseKey: 'destroyed',
  });
  return completed((await deps.registry.getCase(caseId))!, step.processed);
}

/**
 * What a release would lift: the case's versions no other case covers (read
 * from the registry, consistently); the ones another case keeps are named in
 * the message, not counted.
 */
async function releaseDryRun(deps: HoldDeps, record: CaseRecord): Promise<HoldOutcome> {
  const { caseId } = record;
  const members = await deps.registry.memberships(caseId);
  const kept = await mapBounded(members, deps.concurrency, async (m) =>
    (await deps.registry.coveringCases(m)).some((id) => id !== caseId),
  );
  const lifted = members.filter((_, i) => !kept[i]);
  const stay = members.length - lifted.length;
  return {
    caseId,
    result: 'dry-run',
    objectCount: lifted.length,
    bytes: sum(lifted),
    processed: 0,
    failures: [],
    case: record,
    ...(stay > 0
      ? { message: `${stay} more object versions stay held: another case covers them` }
      : {}),
  };
}

const completed = (record: CaseRecord, processed: number): HoldOutcome => ({
  caseId: record.caseId,
  result: 'complete',
  objectCount: record.objectCount,
  bytes: record.bytes,
  processed,
  failures: [],
  case: record,
});

/**
 * OCSP: drops the extract table if a crashed apply left it, deletes every
 * version of the extract; the audit entry's remainingVersions: 0 is the proof.
 */
async function releaseExtract(
  deps: HoldDeps,
  record: CaseRecord,
  actor: string,
): Promise<ReleaseStep> {
  const { caseId } = record;
  if (!deps.glue || !deps.glueDatabase)
    throw new Error(
      'OCSP releases drop the extract table: they need Glue (LOGVAULT_GLUE_DATABASE)',
    );
  const tableDropped = await dropExtractTable(deps.glue, deps.glueDatabase, caseId);
  const deleted = await deleteExtracts(deps, caseId);
  if (deleted.failures.length > 0)
    return {
      stopped: {
        caseId,
        result: 'incomplete',
        objectCount: record.objectCount,
        bytes: record.bytes,
        processed: deleted.deletedVersions,
        failures: deleted.failures,
        message: 'rerun the same release to retry the failed keys',
      },
    };
  await auditStep(deps, caseId, 'extracts-deleted', actor, {
    prefix: `s3://${deps.buckets.investigations}/${casePrefix(caseId)}`,
    remainingVersions: 0,
    // Whether the run that finished found a table a crashed apply had left, and dropped it.
    extractTableDropped: tableDropped,
  });
  // Counted by the run that finished.
  return {
    released: { deletedVersions: deleted.deletedVersions },
    processed: deleted.deletedVersions,
  };
}

/** ACME: a batch job for large cases, otherwise version by version until no membership is left. */
async function releaseAcmeVersions(
  deps: HoldDeps,
  record: CaseRecord,
  actor: string,
): Promise<ReleaseStep> {
  const { caseId } = record;
  const job = await collectLegalHoldJob(deps, record, 'release', actor);
  if (job.answer) return { stopped: job.answer };
  const members = await markReleasing(deps, await deps.registry.memberships(caseId));
  const free = await versionsOnlyThisCaseHolds(deps, members, job.changed);
  if (free.length > deps.largeScopeThreshold)
    return { stopped: await submitLegalHoldJob(deps, record, 'release', free, actor) };
  // Released memberships are deleted, so each pass reads only what is left.
  const failed = new Set<string>();
  let processed = 0;
  for (;;) {
    const left = (await deps.registry.memberships(caseId)).filter(
      (m) => !failed.has(`${m.key}#${m.versionId}`),
    );
    if (left.length === 0) return { released: {}, processed };
    const run = await forEachVersion(deps, left, (m) =>
      releaseVersion(deps, m, job.changed.has(objectRef(m))),
    );
    processed += run.processed;
    run.failures.forEach((f) => failed.add(`${f.key}#${f.versionId}`));
    const pending = unfinished(caseId, run, left, 'rerun the same release to continue');
    if (pending)
      return { stopped: { ...pending, objectCount: record.objectCount, bytes: record.bytes } };
  }
}

/**
 * Every membership of the case stops covering its version before any flag
 * is written for the release (a batch job's OFF included): the order
 * docs/holds.md's argument needs.
 */
async function markReleasing(
  deps: HoldDeps,
  members: readonly Membership[],
): Promise<Membership[]> {
  await mapBounded(
    members.filter((m) => m.state !== 'releasing'),
    deps.concurrency,
    (m) => deps.registry.markReleasing(m.caseId, m),
  );
  return members.map((m) => ({ ...m, state: 'releasing' as const }));
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
    async (m) => (await deps.registry.coveringCases(m)).length > 0,
  );
  return candidates.filter((_, i) => !covered[i]);
}
