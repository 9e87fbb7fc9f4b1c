import { mapBounded } from '../pool';
import { prefixes } from '../naming';
import type { HoldDeps } from './deps';
import { Membership, ObjectVersion, objectRef } from './registry';
import { legalHoldIsOn, listVersions } from './s3-objects';
import { auditStep, settleHold } from './steps';

/**
 * Orphans: versions whose legal-hold flag disagrees with the registry, the
 * states code before the coverage design could leave (a flag ON after its
 * case's registry entries were deleted; a flag turned OFF under an active
 * case by a release of another case). docs/holds.md, "Orphans".
 */
export interface Orphans {
  /** Flag ON, and no membership covers the version (no case keeps it). */
  readonly heldUncovered: ObjectVersion[];
  /** Memberships of active cases whose version's flag is OFF. */
  readonly coveredNotHeld: Membership[];
}

export type OrphanDeps = Pick<HoldDeps, 's3' | 'registry' | 'buckets' | 'concurrency'>;

/**
 * The audit id that repairs of uncovered versions are recorded under: `#`
 * is outside the case id alphabet, so no case can take it.
 */
export const ORPHAN_AUDIT_ID = '#orphans';

/** Every version a hold can touch: archived ACME objects and OCSP extracts. */
async function holdableVersions(deps: OrphanDeps): Promise<ObjectVersion[]> {
  const [acme, extracts] = await Promise.all([
    listVersions(deps.s3, deps.buckets.archive, prefixes.acme),
    listVersions(deps.s3, deps.buckets.investigations, prefixes.cases),
  ]);
  return [...acme, ...extracts];
}

/** Reads every holdable version's flag and every active case's memberships; changes nothing. */
export async function findOrphans(deps: OrphanDeps): Promise<Orphans> {
  const versions = await holdableVersions(deps);
  const flags = await mapBounded(versions, deps.concurrency, (o) => legalHoldIsOn(deps.s3, o));
  const flagOf = new Map(versions.map((o, i) => [objectRef(o), flags[i]!]));
  const onVersions = versions.filter((_, i) => flags[i]);
  const covered = await mapBounded(
    onVersions,
    deps.concurrency,
    async (o) => (await deps.registry.coveringCases(o)).length > 0,
  );
  const heldUncovered = onVersions.filter((_, i) => !covered[i]);

  const active = (await deps.registry.listCases()).filter((c) => c.status === 'active');
  const members = (
    await mapBounded(active, deps.concurrency, (c) => deps.registry.memberships(c.caseId))
  )
    .flat()
    .filter((m) => m.state !== 'releasing');
  // A member not listed was deleted behind the case (impossible while held): read it to say so.
  const memberFlags = await mapBounded(members, deps.concurrency, async (m) => {
    const listed = flagOf.get(objectRef(m));
    return listed ?? (await legalHoldIsOn(deps.s3, m).catch(() => false));
  });
  return { heldUncovered, coveredNotHeld: members.filter((_, i) => !memberFlags[i]) };
}

export interface RepairOutcome extends Orphans {
  /** Orphans whose flag now equals their coverage (0 in a dry run). */
  readonly repaired: number;
  readonly failures: { readonly version: string; readonly error: string }[];
}

/**
 * Settles every orphan's flag through `settleHold` (the path apply and
 * release take, so a case applied or released meanwhile is respected) and
 * appends one audit entry per repaired version: under its case for a
 * membership, under `ORPHAN_AUDIT_ID` for an uncovered version.
 */
export async function repairOrphans(
  deps: HoldDeps,
  options: { readonly dryRun: boolean; readonly actor: string },
): Promise<RepairOutcome> {
  const found = await findOrphans(deps);
  if (options.dryRun) return { ...found, repaired: 0, failures: [] };
  const work: { o: ObjectVersion; caseId: string; was: 'held-uncovered' | 'covered-not-held' }[] = [
    ...found.heldUncovered.map((o) => ({
      o,
      caseId: ORPHAN_AUDIT_ID,
      was: 'held-uncovered' as const,
    })),
    ...found.coveredNotHeld.map((m) => ({
      o: m,
      caseId: m.caseId,
      was: 'covered-not-held' as const,
    })),
  ];
  const failures: RepairOutcome['failures'] = [];
  let repaired = 0;
  await mapBounded(work, deps.concurrency, async ({ o, caseId, was }) => {
    const version = objectRef(o);
    try {
      await settleHold(deps, o);
      const on = await legalHoldIsOn(deps.s3, o);
      await auditStep(
        deps,
        caseId,
        `orphan-repaired:${version}@${deps.now().toISOString()}`,
        options.actor,
        {
          bucket: o.bucket,
          key: o.key,
          versionId: o.versionId,
          was,
          legalHold: on ? 'ON' : 'OFF',
        },
      );
      repaired += 1;
    } catch (error) {
      failures.push({ version, error: (error as Error).message });
    }
  });
  return { ...found, repaired, failures };
}
