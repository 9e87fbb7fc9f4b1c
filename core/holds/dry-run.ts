import type { CaseRecord, CaseRequest } from './case';
import type { HoldDeps, HoldOutcome } from './deps';
import { mapBounded } from '../pool';
import { caseDataKey, keyedFingerprint } from './case-secrets';
import { fingerprintOf } from './plan';
import { assertResumable } from './reapply';
import type { ObjectVersion } from './registry';
import { sum } from './steps';

/**
 * An ACME apply's dry run, read from the registry as the apply would act on
 * it: refused where the apply would be refused (a released id, another
 * scope, another reason or ticket), and for the versions in scope, which
 * are already held and by which cases (one consistent Query per version,
 * the read a settle makes), and how many this case would newly hold.
 */
export async function applyDryRun(
  deps: HoldDeps,
  request: CaseRequest,
  versions: readonly ObjectVersion[],
  note?: string,
): Promise<HoldOutcome> {
  const { caseId } = request;
  const existing = await refusedAsApplyWould(deps, request);
  const covering = await mapBounded(versions, deps.concurrency, (o) =>
    deps.registry.coveringCases(o),
  );
  const alreadyHeldBy: Record<string, number> = {};
  for (const ids of covering)
    for (const id of ids) alreadyHeldBy[id] = (alreadyHeldBy[id] ?? 0) + 1;
  const newly = versions.filter((_, i) => covering[i]!.length === 0);
  const held = versions.length - newly.length;
  const byCase = Object.entries(alreadyHeldBy)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, n]) => `${id} (${n})`)
    .join(', ');
  const lines = [
    ...(existing ? [`case ${caseId} exists (${existing.status}); applying again resumes it`] : []),
    held > 0
      ? `${held} of them already held, by ${byCase}; ${newly.length} would be newly held`
      : `none of them is held yet; ${newly.length} would be newly held`,
    ...(note ? [note] : []),
  ];
  return {
    caseId,
    result: 'dry-run',
    objectCount: versions.length,
    bytes: sum(versions),
    newlyHeld: newly.length,
    newlyHeldBytes: sum(newly),
    alreadyHeldBy,
    processed: 0,
    failures: [],
    ...(existing ? { case: existing } : {}),
    message: lines.join('\n'),
  };
}

/** The case if it exists and the apply would resume it; a rejection where the apply would refuse. */
export async function refusedAsApplyWould(
  deps: Pick<HoldDeps, 'registry' | 'caseKeys'>,
  request: CaseRequest,
): Promise<CaseRecord | undefined> {
  const existing = await deps.registry.getCase(request.caseId);
  if (!existing) return undefined;
  const key = await caseDataKey(deps.caseKeys, deps.registry, request.caseId, false);
  const fingerprint = key ? keyedFingerprint(key, fingerprintOf(request)) : '';
  return assertResumable(existing, request, fingerprint);
}
