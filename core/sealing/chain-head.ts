import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TrustedKey } from './anchor/trusted-keys';
import { ChainBreak, Digest, openDigest } from './digest-format';
import { DAY_MS, DIGEST_PREFIX, addHours, digestKey, hourOfDigestKey } from './keys';
import { mapBounded } from '../pool';
import { isNotFound, listVersions, readObject } from '../s3/objects';
import { dayPath, daysBetween } from '../time/hours';

/** The last digest the function can chain to: signed by a trusted key, one version, current. */
export interface ChainHead {
  readonly key: string;
  readonly hour: Date;
  readonly sha256: string;
  readonly digest: Digest;
}

/** Every digest key ever written, with how many versions it has and whether it was deleted. */
interface DigestKeyState {
  readonly key: string;
  readonly hour: Date;
  versions: string[];
  deleted: boolean;
}

async function digestStates(
  s3: S3Client,
  bucket: string,
  window?: { since: Date; through: Date },
): Promise<DigestKeyState[]> {
  const prefixes = window
    ? daysBetween(window.since.getTime(), window.through.getTime() + DAY_MS).map(
        (d) => `${DIGEST_PREFIX}${dayPath(d)}/`,
      )
    : [DIGEST_PREFIX];
  const listing = await listVersions(s3, bucket, prefixes);
  const states = new Map<string, DigestKeyState>();
  const state = (key: string) => {
    let s = states.get(key);
    if (s === undefined)
      states.set(key, (s = { key, hour: hourOfDigestKey(key)!, versions: [], deleted: false }));
    return s;
  };
  for (const v of listing.versions.filter((v) => hourOfDigestKey(v.Key!) !== undefined))
    state(v.Key!).versions.push(v.VersionId!);
  for (const m of listing.deleteMarkers.filter((m) => hourOfDigestKey(m.Key!) !== undefined))
    if (m.IsLatest) state(m.Key!).deleted = true;
  return [...states.values()].sort((a, b) => b.hour.getTime() - a.hour.getTime());
}

/** Why a digest cannot be the head, or undefined with the head when it can. */
async function judge(
  s3: S3Client,
  bucket: string,
  keys: readonly TrustedKey[],
  s: DigestKeyState,
): Promise<ChainBreak | ChainHead> {
  if (s.deleted)
    return { kind: 'deleted-digest', key: s.key, detail: 'its current version is a delete marker' };
  if (s.versions.length > 1)
    return {
      kind: 'replaced-digest',
      key: s.key,
      detail: `${s.versions.length} versions: written over after it was first written`,
    };
  const object = await readObject(s3, bucket, s.key, s.versions[0]);
  if (object === undefined)
    return { kind: 'deleted-digest', key: s.key, detail: 'listed, but cannot be read' };
  const opened = openDigest(keys, bucket, s.key, object);
  if (!opened.ok)
    return {
      kind: 'unsigned-digest',
      key: s.key,
      versionId: s.versions[0],
      detail: `${opened.reason}: ${opened.detail}`,
    };
  return { key: s.key, hour: s.hour, sha256: opened.sha256, digest: opened.digest };
}

export interface HeadSearch {
  readonly head?: ChainHead;
  /** Digests newer than the head that it could not chain to, newest first. */
  readonly breaks: ChainBreak[];
  /** Digest keys at or after the head that hold any version or marker: never written again. */
  readonly taken: ReadonlySet<string>;
}

/**
 * The newest digest at or before `through` the function may chain to. Looks
 * back a week first, then the whole chain. Every newer digest key that is
 * deleted, written over or not signed by a trusted key is a break: it is
 * skipped, recorded, and never adopted or rewritten.
 */
export async function findChainHead(
  s3: S3Client,
  bucket: string,
  keys: readonly TrustedKey[],
  through: Date,
): Promise<HeadSearch> {
  const recent = await searchBack(
    s3,
    bucket,
    keys,
    through,
    new Date(through.getTime() - 8 * DAY_MS),
  );
  return recent.head !== undefined ? recent : searchBack(s3, bucket, keys, through, undefined);
}

async function searchBack(
  s3: S3Client,
  bucket: string,
  keys: readonly TrustedKey[],
  through: Date,
  since: Date | undefined,
): Promise<HeadSearch> {
  const window = since && { since, through };
  const states = (await digestStates(s3, bucket, window)).filter((s) => s.hour <= through);
  const breaks: ChainBreak[] = [];
  const taken = new Set<string>();
  for (const s of states) {
    taken.add(s.key);
    const verdict = await judge(s3, bucket, keys, s);
    if (!('kind' in verdict)) return { head: verdict, breaks, taken };
    breaks.push(verdict);
  }
  return { breaks, taken };
}

/** Hours after the head and before `through` with no digest key at all. */
export function missingHours(
  head: ChainHead,
  through: Date,
  taken: ReadonlySet<string>,
): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  for (let hour = addHours(head.hour, 1); hour < through; hour = addHours(hour, 1))
    if (!taken.has(digestKey(hour)))
      breaks.push({
        kind: 'missing-digest',
        key: digestKey(hour),
        detail: 'no digest for this hour: the function did not run, or it was purged',
      });
  return breaks;
}

/** Objects the head digest listed that are gone or no longer current: noticed, never papered over. */
export async function vanishedObjects(
  s3: S3Client,
  bucket: string,
  head: ChainHead,
  concurrency = 16,
): Promise<ChainBreak[]> {
  const found = await mapBounded(head.digest.objects, concurrency, async (e) => {
    let current: string | undefined;
    try {
      current = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: e.key }))).VersionId;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (current === e.versionId) return undefined;
    return {
      kind: 'missing-object' as const,
      key: e.key,
      versionId: e.versionId,
      detail:
        current === undefined ? 'deleted since it was digested' : `replaced by version ${current}`,
    };
  });
  return found.filter((b) => b !== undefined);
}
