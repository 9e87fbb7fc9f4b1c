import { KeyObject } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SIGNATURE_METADATA, SealedEntry, digestSchema, signingString } from './digest';
import { HOUR_MS, addHours, digestKey, hourOf, sealedDayPrefixes } from './keys';
import { mapBounded } from '../pool';
import { listVersions, readObject, sha256Base64, sha256Hex } from '../s3/objects';
import { verifySignature } from './signer';

export const findingKinds = [
  /** An hour in the range has no digest. */
  'missing-digest',
  /** A digest's `previous` does not name the digest before it or its exact bytes. */
  'broken-link',
  /** A digest's signature does not verify with the public key, or it is unreadable. */
  'bad-signature',
  /** A digested version is gone, or its key's current version is a delete marker. */
  'missing-object',
  /** A digested version's bytes differ from its SHA-256, or a newer version replaced it. */
  'altered-object',
  /** A version's lock ends earlier than the digest recorded. */
  'retention-shortened',
  /** An archive version written in the range that no digest lists. */
  'undigested-object',
] as const;
export type FindingKind = (typeof findingKinds)[number];

export interface Finding {
  readonly kind: FindingKind;
  readonly key: string;
  readonly versionId?: string;
  readonly detail: string;
}

export interface VerifyReport {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  /** Set when the chain begins inside the range: the earlier hours are not checked. */
  readonly chainStart?: string;
  readonly digests: number;
  readonly digestBytes: number;
  readonly objects: number;
  readonly objectBytes: number;
  readonly findings: Finding[];
}

export interface VerifyContext {
  readonly s3: S3Client;
  readonly archiveBucket: string;
  readonly publicKey: KeyObject;
  /** Landing expiry plus one, as for writing digests. */
  readonly scanDays: number;
  readonly concurrency?: number;
  /** Called as work completes, e.g. to draw progress on a TTY. */
  readonly onProgress?: (phase: 'digests' | 'objects', done: number, total: number) => void;
}

interface ReadDigest {
  hour: Date;
  key: string;
  sha256?: string;
  previous?: { key: string; sha256: string } | null;
  objects: SealedEntry[];
}

async function readDigest(
  ctx: VerifyContext,
  hour: Date,
  findings: Finding[],
): Promise<ReadDigest & { bytes: number }> {
  const key = digestKey(hour);
  const object = await readObject(ctx.s3, ctx.archiveBucket, key);
  if (object === undefined) {
    findings.push({ kind: 'missing-digest', key, detail: `no digest for ${hour.toISOString()}` });
    return { hour, key, objects: [], bytes: 0 };
  }
  const sha256 = sha256Hex(object.body);
  const signature = Buffer.from(object.metadata[SIGNATURE_METADATA] ?? '', 'base64');
  if (!verifySignature(ctx.publicKey, signingString(key, object.body), signature))
    findings.push({
      kind: 'bad-signature',
      key,
      versionId: object.versionId,
      detail: 'signature does not verify with the public key',
    });
  const parsed = (() => {
    try {
      return digestSchema.safeParse(JSON.parse(Buffer.from(object.body).toString('utf8')));
    } catch {
      return undefined;
    }
  })();
  if (!parsed?.success) {
    findings.push({
      kind: 'bad-signature',
      key,
      versionId: object.versionId,
      detail: 'digest is not a valid logvault digest',
    });
    return { hour, key, sha256, objects: [], bytes: object.body.length };
  }
  return {
    hour,
    key,
    sha256,
    previous: parsed.data.previous,
    objects: parsed.data.objects,
    bytes: object.body.length,
  };
}

function checkLink(digest: ReadDigest, before: ReadDigest | undefined, findings: Finding[]): void {
  if (digest.sha256 === undefined || digest.previous === undefined) return;
  if (digest.previous === null) {
    // A genesis digest is only acceptable where no digest precedes it.
    if (before?.sha256 !== undefined)
      findings.push({
        kind: 'broken-link',
        key: digest.key,
        detail: `restarts the chain although ${before.key} exists`,
      });
    return;
  }
  if (before === undefined) return;
  if (digest.previous.key !== before.key)
    findings.push({
      kind: 'broken-link',
      key: digest.key,
      detail: `links to ${digest.previous.key}, expected ${before.key}`,
    });
  else if (before.sha256 === undefined)
    findings.push({
      kind: 'broken-link',
      key: digest.key,
      detail: `previous digest ${before.key} is missing`,
    });
  else if (digest.previous.sha256 !== before.sha256)
    findings.push({
      kind: 'broken-link',
      key: digest.key,
      detail: `previous digest ${before.key} has SHA-256 ${before.sha256}, link says ${digest.previous.sha256}`,
    });
}

/**
 * Walks the digest chain hour by hour from `from` to `to` (inclusive hours) and
 * checks every digested archive version: present, current, unaltered (bytes
 * re-hashed), still locked; then looks for versions written in the range that
 * no digest lists. Reads only; needs the public key, never the signing key.
 */
export async function verifyArchive(
  ctx: VerifyContext,
  range: { from: Date; to: Date },
): Promise<VerifyReport> {
  const findings: Finding[] = [];
  const from = hourOf(range.from);
  const to = hourOf(range.to);
  const hours: Date[] = [];
  for (let h = from; h <= to; h = addHours(h, 1)) hours.push(h);
  const concurrency = ctx.concurrency ?? 16;

  // The digest before the range anchors the first link; its own findings are outside the range.
  const outside: Finding[] = [];
  const anchor = await readDigest(ctx, addHours(from, -1), outside);
  let done = 0;
  const digests = await mapBounded(hours, concurrency, async (hour) => {
    const d = await readDigest(ctx, hour, findings);
    ctx.onProgress?.('digests', ++done, hours.length);
    return d;
  });
  digests.forEach((d, i) =>
    checkLink(d, i === 0 ? (anchor.sha256 ? anchor : undefined) : digests[i - 1], findings),
  );

  // Hours before the chain's first (genesis) digest are not missing: there was no chain yet.
  const genesis = digests.findIndex((d) => d.previous === null);
  const preChain =
    genesis > 0 &&
    anchor.sha256 === undefined &&
    digests.slice(0, genesis).every((d) => d.sha256 === undefined)
      ? new Set(digests.slice(0, genesis).map((d) => d.key))
      : new Set<string>();
  if (preChain.size > 0)
    findings.splice(
      0,
      findings.length,
      ...findings.filter((f) => !(f.kind === 'missing-digest' && preChain.has(f.key))),
    );

  const entries = digests.flatMap((d) => d.objects);
  const listing = await listVersions(ctx.s3, ctx.archiveBucket, [
    ...new Set([
      ...sealedDayPrefixes(from, to, ctx.scanDays),
      ...entries.map((e) => e.key.replace(/[^/]*\/[^/]*$/, '')),
    ]),
  ]);
  const latest = new Map<string, { versionId: string; deleteMarker: boolean }>();
  for (const v of listing.versions)
    if (v.IsLatest) latest.set(v.Key!, { versionId: v.VersionId!, deleteMarker: false });
  for (const m of listing.deleteMarkers)
    if (m.IsLatest) latest.set(m.Key!, { versionId: m.VersionId!, deleteMarker: true });

  let objectBytes = 0;
  done = 0;
  await mapBounded(entries, concurrency, async (e) => {
    const object = await readObject(ctx.s3, ctx.archiveBucket, e.key, e.versionId);
    ctx.onProgress?.('objects', ++done, entries.length);
    const base = { key: e.key, versionId: e.versionId };
    if (object === undefined) {
      findings.push({
        ...base,
        kind: 'missing-object',
        detail: 'digested version no longer exists',
      });
      return;
    }
    objectBytes += object.body.length;
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
    const current = latest.get(e.key);
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
  });

  const digested = new Set(entries.map((e) => `${e.key}\u0000${e.versionId}`));
  const end = to.getTime() + HOUR_MS;
  for (const v of listing.versions) {
    const written = v.LastModified!.getTime();
    if (written < from.getTime() || written >= end || digested.has(`${v.Key}\u0000${v.VersionId}`))
      continue;
    findings.push({
      kind: 'undigested-object',
      key: v.Key!,
      versionId: v.VersionId,
      detail: `written ${v.LastModified!.toISOString()}, in no digest`,
    });
  }

  return {
    bucket: ctx.archiveBucket,
    from: from.toISOString(),
    to: new Date(end).toISOString(),
    chainStart: preChain.size > 0 ? digests[genesis].hour.toISOString() : undefined,
    digests: digests.filter((d) => d.sha256 !== undefined).length,
    digestBytes: digests.reduce((sum, d) => sum + d.bytes, 0),
    objects: entries.length,
    objectBytes,
    findings,
  };
}
