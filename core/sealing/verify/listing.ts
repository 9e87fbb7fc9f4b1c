import type { DeleteMarkerEntry, ObjectVersion } from '@aws-sdk/client-s3';
import type { SealedEntry } from '../digest';
import { objectVersionPages } from '../../s3/pagers';
import { Accounting, AccountingScope, accountFor, isData } from './accounting';
import { latestVersions } from './objects';
import type { PendingObject, VerifyContext } from './types';

export interface ArchiveListing {
  /** The current version of each digested key. */
  readonly latest: ReturnType<typeof latestVersions>;
  /** Data versions written in the range, for the lock check. */
  readonly inRange: ObjectVersion[];
  readonly accounting: Accounting;
  /** Data versions listed. */
  readonly listed: number;
}

/**
 * Pages through every version under the listing prefixes (the whole bucket by
 * default) once, accounting for each page as it arrives: memory grows with
 * the digested entries and the findings, not with the archive (about 5
 * million versions at seven years of 10 million certificates a day).
 */
export async function listArchive(
  ctx: VerifyContext,
  entries: readonly SealedEntry[],
  scope: AccountingScope,
): Promise<ArchiveListing> {
  const digestedKeys = new Set(entries.map((e) => e.key));
  const kept = { versions: [] as ObjectVersion[], deleteMarkers: [] as DeleteMarkerEntry[] };
  const inRange: ObjectVersion[] = [];
  const findings: Accounting['findings'] = [];
  const pending: PendingObject[] = [];
  let outsideRange = 0;
  let listed = 0;
  for (const prefix of ctx.listPrefixes ?? [''])
    for await (const page of objectVersionPages(ctx.s3, ctx.archiveBucket, prefix)) {
      const data = (page.Versions ?? []).filter((v) => isData(v.Key!));
      listed += data.length;
      kept.versions.push(...data.filter((v) => digestedKeys.has(v.Key!)));
      kept.deleteMarkers.push(
        ...(page.DeleteMarkers ?? []).filter((m) => digestedKeys.has(m.Key!)),
      );
      inRange.push(
        ...data.filter((v) => {
          const written = v.LastModified!.getTime();
          return written >= scope.from && written < scope.end;
        }),
      );
      const counted = accountFor(data, scope);
      findings.push(...counted.findings);
      pending.push(...counted.pending);
      outsideRange += counted.outsideRange;
    }
  return {
    latest: latestVersions(kept),
    inRange,
    accounting: { findings, pending, outsideRange },
    listed,
  };
}
