import { CaseRecord, CaseRequest, RejectedRequest } from './case';
import { assertResumable } from './reapply';
import { caseDataKey, keyedFingerprint, seal } from './case-secrets';
import type { HoldDeps, HoldOutcome, KeyFailure } from './deps';
import {
  acmeEventMatcher,
  arrivalHourOfKey,
  arrivalHourPrefixes,
  arrivalTreatment,
  fingerprintOf,
  hasFilters,
} from './plan';
import { mapBounded } from '../pool';
import { prefixes } from '../naming';
import { AuditEntry, Membership, ObjectVersion, objectRef } from './registry';
import { listVersions, readLines, setLegalHold } from './s3-objects';

/** The steps apply and release are made of, shared by the ACME and OCSP paths. */

export const sum = (versions: readonly { size: number }[]) =>
  versions.reduce((n, v) => n + v.size, 0);

/** The case, or a rejection naming the id that does not exist. */
export async function existingCase(
  deps: Pick<HoldDeps, 'registry'>,
  caseId: string,
): Promise<CaseRecord> {
  const record = await deps.registry.getCase(caseId);
  if (!record) throw new RejectedRequest(`case ${caseId} does not exist`);
  return record;
}

/** Appends one audit entry per step name; a retried step adds nothing. */
export function auditStep(
  deps: HoldDeps,
  caseId: string,
  event: AuditEntry['event'],
  actor: string,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const entry: AuditEntry = { caseId, event, at: deps.now().toISOString(), actor, details };
  return deps.registry.audit(entry);
}

/** An ACME scope listing: the versions in scope, and every version it looked at. */
export interface AcmeListing {
  readonly versions: ObjectVersion[];
  /** objectRefs of every candidate listed, in scope or not. */
  readonly listed: ReadonlySet<string>;
}

/**
 * Every ACME object version in scope, by record time: the arrival hours of
 * the range and the lateness margin around it are listed (`arrivalHourPrefixes`).
 * Objects are held whole, so one event in scope holds the object it sits
 * in. Objects filed inside the range are held unread when unfiltered; the
 * margin hours' objects, and every object when filtered, are read and kept
 * only for an event whose own time (and fields) match. `skip`: versions an
 * earlier listing already decided (they are neither read nor returned).
 */
export async function acmeVersionsInScope(
  deps: HoldDeps,
  request: CaseRequest,
  skip: ReadonlySet<string> = new Set(),
): Promise<AcmeListing> {
  const { from, to, filters } = request.scope;
  const filtered = hasFilters(filters);
  const perHour = await mapBounded(
    arrivalHourPrefixes(prefixes.acme, from, to),
    deps.concurrency,
    async (prefix) => {
      const versions = await listVersions(deps.s3, deps.buckets.archive, prefix);
      const hour = arrivalHourOfKey(prefixes.acme, prefix)!;
      // The rule sealing's standing holds apply too (core/holds/standing.ts).
      const read = arrivalTreatment(from, to, filtered, hour) === 'read';
      return versions.map((o) => ({ o, read }));
    },
  );
  const candidates = perHour.flat().filter(({ o }) => !skip.has(objectRef(o)));
  const matches = acmeEventMatcher(from, to, filters);
  const keep = await mapBounded(
    candidates,
    deps.concurrency,
    async ({ o, read }) =>
      !read ||
      (await readLines(deps.s3, o)).some((line) => {
        try {
          return matches(JSON.parse(line));
        } catch {
          return false;
        }
      }),
  );
  return {
    versions: candidates.filter((_, i) => keep[i]).map(({ o }) => o),
    listed: new Set(candidates.map(({ o }) => objectRef(o))),
  };
}

/** The answer to an apply rerun for a case that is already active: nothing left to do. */
export function alreadyApplied(opened: CaseRecord): HoldOutcome {
  return {
    caseId: opened.caseId,
    result: 'complete',
    objectCount: opened.objectCount,
    bytes: opened.bytes,
    recordCount: opened.recordCount,
    processed: 0,
    failures: [],
    case: opened,
  };
}

/**
 * The request as the registry and the audit trail keep it: the filters
 * (they identify people) sealed under the case's data key, the rest plain.
 */
function sealedRequest(key: Buffer, request: CaseRequest): CaseRequest & { sealedFilters: string } {
  return {
    ...request,
    scope: { ...request.scope, filters: {} },
    sealedFilters: seal(key, request.caseId, request.scope.filters),
  };
}

/**
 * Opens the case, or returns it to resume; refuses an id reused with another
 * scope, reason or ticket, or after release (`assertResumable`). Records
 * `apply-started` once.
 */
export async function openCase(deps: HoldDeps, request: CaseRequest): Promise<CaseRecord> {
  const existing = await deps.registry.getCase(request.caseId);
  if (existing?.status === 'releasing' || existing?.status === 'released')
    throw new RejectedRequest(
      `case ${request.caseId} is ${existing.status}; a released case cannot be re-applied, open a new case id`,
    );
  const key = (await caseDataKey(deps.caseKeys, deps.registry, request.caseId, true))!;
  const fingerprint = keyedFingerprint(key, fingerprintOf(request));
  const check = (record: CaseRecord) => assertResumable(record, request, fingerprint);
  if (existing) return check(existing);
  const stored = sealedRequest(key, request);
  const record: CaseRecord = {
    ...stored,
    status: 'applying',
    createdAt: deps.now().toISOString(),
    objectCount: 0,
    bytes: 0,
    fingerprint,
  };
  if (!(await deps.registry.createCase(record)))
    return check((await deps.registry.getCase(request.caseId))!);
  await auditStep(deps, request.caseId, 'apply-started', request.requester, {
    dataset: request.dataset,
    scope: stored.scope,
    sealedFilters: stored.sealedFilters,
    reason: request.reason,
    ticket: request.ticket,
  });
  return record;
}

/**
 * What the case still has to hold: the versions of `versions` it does not
 * hold yet, each recorded as a `pending` membership before any flag goes on
 * (so every release that settles the version sees this case), plus pending
 * versions no longer listed, which were deleted mid-apply and are retried so
 * their failure is reported, not forgotten. A rerun skips what is held.
 */
export async function recordPending(
  deps: HoldDeps,
  caseId: string,
  versions: readonly ObjectVersion[],
): Promise<ObjectVersion[]> {
  const members = await deps.registry.memberships(caseId);
  const states = new Map(members.map((m) => [objectRef(m), m.state]));
  const listed = new Set(versions.map(objectRef));
  const todo = versions.filter((o) => states.get(objectRef(o)) !== 'held');
  await deps.registry.putPendingMemberships(
    caseId,
    todo.filter((o) => !states.has(objectRef(o))),
  );
  await deps.betweenSteps?.('after-registry-change');
  const vanished = members
    .filter((m) => m.state === 'pending' && !listed.has(objectRef(m)))
    .map(({ bucket, key, versionId, size }) => ({ bucket, key, versionId, size }));
  return [...todo, ...vanished];
}

/** Reads of coverage after a write before `settleHold` gives up (coverage still changing). */
const SETTLE_ROUNDS = 8;

/**
 * Makes the version's legal-hold flag equal its coverage (some membership
 * `pending` or `held`): read coverage, write the flag, read again, until a
 * read after this run's last write agrees with it. Called after every change
 * of coverage; docs/holds.md ("Why apply and release stay exact") shows why
 * the flag then equals coverage whenever nothing is running.
 * `written`: the value an S3 Batch Operations job already wrote (after the
 * change of coverage), so a read that agrees needs no write.
 */
export async function settleHold(
  deps: Pick<HoldDeps, 's3' | 'registry' | 'betweenSteps'>,
  o: ObjectVersion,
  written?: boolean,
): Promise<void> {
  let flag = written;
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    await deps.betweenSteps?.('before-coverage-read');
    const covered = (await deps.registry.coveringCases(o)).length > 0;
    if (covered === flag) return;
    await deps.betweenSteps?.('before-flag-write');
    await setLegalHold(deps.s3, o, covered);
    flag = covered;
  }
  throw new Error(`${objectRef(o)}: coverage kept changing while settling its hold; rerun`);
}

/**
 * Holds one version for the case (its pending membership is written): put
 * the flag ON unless a batch job already did, settle it, then mark it held.
 * The ON write comes first, as a batch job's does: coverage already changed,
 * so a read before it could only ask for the same write; the settle's read
 * after it is what keeps the flag exact. A release of the same case that
 * took the membership meanwhile keeps it (the read sees no coverage; OFF).
 */
async function holdVersion(
  deps: HoldDeps,
  caseId: string,
  o: ObjectVersion,
  flagIsOn: boolean,
): Promise<void> {
  if (!flagIsOn) {
    await deps.betweenSteps?.('before-flag-write');
    await setLegalHold(deps.s3, o, true);
  }
  await settleHold(deps, o, true);
  await deps.registry.markHeld(caseId, o);
}

/**
 * Lifts this case's hold from one version: the membership stops covering
 * (`releasing`, marked up front by the release), the flag is settled, then
 * the membership goes. `flagIsOff`: a batch job already turned it off.
 */
export async function releaseVersion(
  deps: HoldDeps,
  m: Membership,
  flagIsOff = false,
): Promise<void> {
  if (m.state !== 'releasing') {
    await deps.registry.markReleasing(m.caseId, m);
    await deps.betweenSteps?.('after-registry-change');
  }
  await settleHold(deps, m, flagIsOff ? false : undefined);
  await deps.registry.deleteMembership(m.caseId, m);
}

export interface VersionRun {
  readonly processed: number;
  readonly failures: KeyFailure[];
  /** The deadline passed before every version was started. */
  readonly stopped: boolean;
}

/** Runs `step` on each version with bounded concurrency, collecting per-key failures. */
export async function forEachVersion<T extends ObjectVersion>(
  deps: HoldDeps,
  versions: readonly T[],
  step: (o: T) => Promise<void>,
): Promise<VersionRun> {
  const failures: KeyFailure[] = [];
  let processed = 0;
  let stopped = false;
  await mapBounded(versions, deps.concurrency, async (o) => {
    if (deps.deadline !== undefined && Date.now() > deps.deadline) {
      stopped = true;
      return;
    }
    try {
      await step(o);
    } catch (error) {
      failures.push({ key: o.key, versionId: o.versionId, error: (error as Error).message });
      return;
    }
    processed += 1;
    deps.onProgress?.(processed, versions.length);
    deps.afterObject?.(processed);
  });
  return { processed, failures, stopped };
}

/** Totals from the registry, so reruns never double-count. */
export async function totals(
  deps: HoldDeps,
  caseId: string,
): Promise<{ objectCount: number; bytes: number }> {
  const members = await deps.registry.memberships(caseId);
  return { objectCount: members.length, bytes: sum(members) };
}

/** An outcome that asks for a rerun, or undefined when the run finished every version. */
export function unfinished(
  caseId: string,
  run: VersionRun,
  scope: readonly ObjectVersion[],
  message: string,
): HoldOutcome | undefined {
  if (run.failures.length === 0 && !run.stopped) return undefined;
  return {
    caseId,
    result: run.failures.length > 0 ? 'incomplete' : 'in-progress',
    objectCount: scope.length,
    bytes: sum(scope),
    processed: run.processed,
    failures: run.failures,
    message,
  };
}

/**
 * Holds every version of `todo` (from `recordPending`), then marks the case
 * active with totals counted from the registry. `flagged`: objectRefs a batch
 * job already put the flag on.
 */
export async function finishApply(
  deps: HoldDeps,
  request: CaseRequest,
  todo: readonly ObjectVersion[],
  extra: Partial<CaseRecord> = {},
  flagged: ReadonlySet<string> = new Set(),
): Promise<HoldOutcome> {
  const { caseId } = request;
  const run = await forEachVersion(deps, todo, (o) =>
    holdVersion(deps, caseId, o, flagged.has(objectRef(o))),
  );
  const pending = unfinished(
    caseId,
    run,
    todo,
    'rerun the same apply to continue; versions already held are skipped',
  );
  if (pending) return pending;
  const counted = await totals(deps, caseId);
  await auditHeldObjects(deps, caseId, request.requester);
  await deps.registry.updateCase(caseId, ['applying'], 'active', { ...extra, ...counted });
  await auditStep(deps, caseId, 'apply-completed', request.requester, { ...extra, ...counted });
  const record = (await deps.registry.getCase(caseId))!;
  return {
    caseId,
    result: 'complete',
    ...extra,
    ...counted,
    processed: run.processed,
    failures: [],
    case: record,
  };
}

/** Object references per `objects-held:<n>` entry: well under DynamoDB's 400 KB item limit. */
const HELD_OBJECTS_PER_ENTRY = 500;

/**
 * Which objects the case holds, in the append-only trail, so it still
 * answers "which objects did case X hold, and when" after release deleted
 * the memberships and destroyed the case key. References name archive or
 * extract objects only, never a filter value.
 */
async function auditHeldObjects(deps: HoldDeps, caseId: string, actor: string): Promise<void> {
  const refs = (await deps.registry.memberships(caseId)).map(objectRef).sort();
  for (let i = 0; i < refs.length; i += HELD_OBJECTS_PER_ENTRY)
    await auditStep(deps, caseId, `objects-held:${i / HELD_OBJECTS_PER_ENTRY + 1}`, actor, {
      objects: refs.slice(i, i + HELD_OBJECTS_PER_ENTRY),
    });
}
