import { RejectedRequest, type CaseRecord, type ScopeFilters } from './case';
import { caseDataKey, unseal } from './case-secrets';
import type { HoldDeps } from './deps';
import { acmeEventMatcher, arrivalHourOfKey, arrivalTreatment, hasFilters } from './plan';
import { objectRef, type ObjectVersion } from './registry';
import { readLines } from './s3-objects';
import { settleHold } from './steps';
import { prefixes } from '../naming';

/**
 * Standing holds: a case whose scope reaches past what is archived when it
 * is applied also holds what sealing archives into that scope while the case
 * is `applying` or `active` (docs/holds.md, "Standing holds"). Sealing calls
 * `holdIfInStandingScope` once per archived version; it decides by the same
 * rule as an apply (`arrivalTreatment`, `acmeEventMatcher`, the case's
 * sealed filters) and changes coverage the way an apply does: a `pending`
 * membership conditional on the case's status, then a settle.
 */

/** What sealing hands over: the registry, S3, the case keys (to read filters), the clock. */
export type StandingDeps = Pick<HoldDeps, 's3' | 'registry' | 'caseKeys' | 'now' | 'betweenSteps'>;

export interface StandingOutcome {
  /** Cases that now hold the version (newly or already). */
  readonly heldFor: string[];
}

const isStanding = (c: CaseRecord) =>
  c.dataset === 'acme' && (c.status === 'applying' || c.status === 'active');

/** The case's filters, or undefined when its key is gone (released meanwhile). */
async function filtersOf(deps: StandingDeps, c: CaseRecord): Promise<ScopeFilters | undefined> {
  if (!c.sealedFilters) return c.scope.filters;
  const key = await caseDataKey(deps.caseKeys, deps.registry, c.caseId, false);
  return key ? (unseal(key, c.caseId, c.sealedFilters) as ScopeFilters) : undefined;
}

/** The open ACME cases whose scope takes the version, by the apply's rule. */
async function casesTaking(deps: StandingDeps, o: ObjectVersion, hour: number): Promise<string[]> {
  let lines: string[] | undefined;
  const taking: string[] = [];
  for (const c of (await deps.registry.listCases()).filter(isStanding)) {
    const { from, to } = c.scope;
    const filters = await filtersOf(deps, c);
    if (!filters) continue;
    const treatment = arrivalTreatment(from, to, hasFilters(filters), hour);
    if (treatment === 'outside') continue;
    if (treatment === 'read') {
      lines ??= await readLines(deps.s3, o);
      const matches = acmeEventMatcher(from, to, filters);
      const inScope = lines.some((line) => {
        try {
          return matches(JSON.parse(line));
        } catch {
          return false;
        }
      });
      if (!inScope) continue;
    }
    taking.push(c.caseId);
  }
  return taking;
}

/**
 * Holds a newly archived ACME version for every open case whose scope takes
 * it: records a `pending` membership (refused once the case is releasing),
 * settles the flag, marks the membership `held`, and appends
 * `standing-held:<version>` to the case's trail. Idempotent: a redelivered
 * seal event repeats it harmlessly.
 */
export async function holdIfInStandingScope(
  deps: StandingDeps,
  o: ObjectVersion,
): Promise<StandingOutcome> {
  const hour = arrivalHourOfKey(prefixes.acme, o.key);
  if (hour === undefined) return { heldFor: [] };
  const recorded: string[] = [];
  for (const caseId of await casesTaking(deps, o, hour)) {
    try {
      await deps.registry.putPendingMemberships(caseId, [o], ['applying', 'active']);
      recorded.push(caseId);
    } catch (error) {
      // The case's release began after it was listed: it holds nothing new.
      if (!(error instanceof RejectedRequest)) throw error;
    }
  }
  if (recorded.length === 0) return { heldFor: [] };
  await deps.betweenSteps?.('after-registry-change');
  await settleHold(deps, o);
  const heldFor: string[] = [];
  for (const caseId of recorded) {
    if (!(await deps.registry.markHeld(caseId, o))) continue;
    heldFor.push(caseId);
    await deps.registry.audit({
      caseId,
      event: `standing-held:${objectRef(o)}`,
      at: deps.now().toISOString(),
      actor: 'sealing',
      details: { object: objectRef(o), size: o.size },
    });
  }
  return { heldFor };
}

/**
 * Sealing's one call: holds the version a seal archived (`sealed`, or
 * `already-sealed` when a redelivered event finishes a seal whose hold step
 * failed) for the open cases whose scope takes it.
 */
export async function holdSealedVersion(
  deps: StandingDeps,
  archiveBucket: string,
  sealed: { key: string; versionId?: string; size?: number; quarantine?: unknown },
): Promise<StandingOutcome> {
  // A quarantined object failed validation, so no scope's filters can be judged on it and
  // no apply lists its prefix; it is kept locked for the full retention all the same.
  if (sealed.versionId === undefined || sealed.quarantine !== undefined) return { heldFor: [] };
  const { key, versionId, size } = sealed;
  return holdIfInStandingScope(deps, { bucket: archiveBucket, key, versionId, size: size ?? 0 });
}
