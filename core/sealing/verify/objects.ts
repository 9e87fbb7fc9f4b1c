import type { DeleteMarkerEntry, ObjectVersion } from '@aws-sdk/client-s3';
import type { SealedEntry } from '../digest';
import { mapBounded } from '../../pool';
import { readObject, sha256Base64 } from '../../s3/objects';
import type { Finding, VerifyContext } from './types';

/** The current version of each key: a version, or a delete marker. */
export function latestVersions(listing: {
  versions: readonly ObjectVersion[];
  deleteMarkers: readonly DeleteMarkerEntry[];
}): Map<string, { versionId: string; deleteMarker: boolean }> {
  const latest = new Map<string, { versionId: string; deleteMarker: boolean }>();
  for (const v of listing.versions)
    if (v.IsLatest) latest.set(v.Key!, { versionId: v.VersionId!, deleteMarker: false });
  for (const m of listing.deleteMarkers)
    if (m.IsLatest) latest.set(m.Key!, { versionId: m.VersionId!, deleteMarker: true });
  return latest;
}

/** What is wrong with one digested version as read back: its bytes, its lock, its currency. */
function objectFindings(
  e: SealedEntry,
  object: { body: Uint8Array; retainUntil?: Date },
  current: { versionId: string; deleteMarker: boolean } | undefined,
): Finding[] {
  const base = { key: e.key, versionId: e.versionId };
  const findings: Finding[] = [];
  const actual = sha256Base64(object.body);
  if (actual !== e.sha256 || object.body.length !== e.size)
    findings.push({
      ...base,
      kind: 'altered-object',
      detail: `SHA-256 ${actual} (${object.body.length} B), digest says ${e.sha256} (${e.size} B)`,
    });
  if ((object.retainUntil?.getTime() ?? 0) < Date.parse(e.retainUntil))
    findings.push({
      ...base,
      kind: 'retention-shortened',
      detail: `locked until ${object.retainUntil?.toISOString() ?? 'never'}, digest says ${e.retainUntil}`,
    });
  if (current?.deleteMarker)
    findings.push({
      ...base,
      kind: 'missing-object',
      detail: `deleted: current version is delete marker ${current.versionId}`,
    });
  else if (current && current.versionId !== e.versionId)
    findings.push({
      ...base,
      kind: 'altered-object',
      detail: `replaced: current version is ${current.versionId}`,
    });
  return findings;
}

/** Reads every digested version back and checks it; returns the bytes read. */
export async function checkObjects(
  ctx: VerifyContext,
  entries: readonly SealedEntry[],
  latest: ReadonlyMap<string, { versionId: string; deleteMarker: boolean }>,
  findings: Finding[],
): Promise<number> {
  let objectBytes = 0;
  let done = 0;
  await mapBounded(entries, ctx.concurrency ?? 16, async (e) => {
    const object = await readObject(ctx.s3, ctx.archiveBucket, e.key, e.versionId);
    ctx.onProgress?.('objects', ++done, entries.length);
    if (object === undefined) {
      findings.push({
        key: e.key,
        versionId: e.versionId,
        kind: 'missing-object',
        detail: 'digested version no longer exists',
      });
      return;
    }
    objectBytes += object.body.length;
    findings.push(...objectFindings(e, object, latest.get(e.key)));
  });
  return objectBytes;
}

/** Digested objects sealing quarantined: accounted for and locked, but never in a table. */
export function quarantined(entries: readonly SealedEntry[]): Finding[] {
  return entries
    .filter((e) => e.quarantineReason !== undefined)
    .map((e) => ({
      kind: 'quarantined' as const,
      key: e.key,
      versionId: e.versionId,
      detail: `failed validation at sealing (${e.quarantineReason}); kept locked, read by no table`,
    }));
}
