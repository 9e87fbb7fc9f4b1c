import { S3Client } from '@aws-sdk/client-s3';
import { objectPages, objectVersionPages } from '../s3/pagers';
import { MetricDatum, prefixes } from '../naming';
import { HOUR_MS } from '../time/units';

/** A place whose oldest copy is measured, named as in metrics and on the dashboard. */
export interface WatchedPlace {
  readonly place: string;
  readonly bucket: string;
  /** Versioned buckets keep noncurrent copies; those count too. */
  readonly versioned?: boolean;
}

/**
 * Age in hours of the oldest object (any version) in a bucket, 0 when empty.
 * Listing, not S3 Inventory: inventory reports are daily and arrive up to 48 h
 * late, too late for a 6.5-day alarm on data that lives at most 7 days, and
 * these buckets hold at most a week of hourly objects.
 */
export async function oldestObjectAgeHours(
  s3: S3Client,
  watched: WatchedPlace,
  now: Date,
): Promise<number> {
  let oldest = now.getTime();
  if (watched.versioned) {
    for await (const page of objectVersionPages(s3, watched.bucket))
      for (const v of page.Versions ?? []) oldest = Math.min(oldest, v.LastModified!.getTime());
  } else {
    for await (const page of objectPages(s3, watched.bucket))
      for (const o of page.Contents ?? []) oldest = Math.min(oldest, o.LastModified!.getTime());
  }
  return Math.max(0, (now.getTime() - oldest) / HOUR_MS);
}

/** Case ids that own objects under `cases/<caseId>/` (or `cases/_filters/<caseId>/`) in the investigations bucket, with their object counts. */
export async function extractObjectsByCase(
  s3: S3Client,
  bucket: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const page of objectVersionPages(s3, bucket, prefixes.cases))
    for (const v of page.Versions ?? []) {
      // A case's filter values (`cases/_filters/<caseId>/`) count as that case's objects.
      const [, first, second] = v.Key!.split('/');
      const caseId = first === prefixes.caseFilters.split('/')[1] ? second : first;
      counts.set(caseId, (counts.get(caseId) ?? 0) + 1);
    }
  return counts;
}

/** Objects still stored for cases that are no longer open: the policy says this must be zero. */
export function extractsOfClosedCases(
  byCase: Map<string, number>,
  openCaseIds: ReadonlySet<string>,
): number {
  let total = 0;
  for (const [caseId, count] of byCase) if (!openCaseIds.has(caseId)) total += count;
  return total;
}

export interface RetentionInputs {
  readonly watched: WatchedPlace[];
  readonly investigationsBucket: string;
  /** Ids of cases whose extracts may still exist (every status but `released`). */
  readonly openCaseIds: () => Promise<ReadonlySet<string>>;
  /** Legal-hold flags that disagree with the registry (core/holds/orphans.ts). */
  readonly orphanCount: () => Promise<number>;
  readonly now: Date;
}

/** Measures every retention figure the monitoring alarms on. */
export async function measureRetention(
  s3: S3Client,
  inputs: RetentionInputs,
): Promise<MetricDatum[]> {
  const ages = await Promise.all(
    inputs.watched.map(async (w) => ({
      metric: 'oldestObjectAgeHours' as const,
      place: w.place,
      value: await oldestObjectAgeHours(s3, w, inputs.now),
    })),
  );
  const [byCase, open, orphans] = await Promise.all([
    extractObjectsByCase(s3, inputs.investigationsBucket),
    inputs.openCaseIds(),
    inputs.orphanCount(),
  ]);
  return [
    ...ages,
    { metric: 'closedCaseExtractObjects', value: extractsOfClosedCases(byCase, open) },
    { metric: 'openCases', value: open.size },
    { metric: 'orphanedHolds', value: orphans },
  ];
}
