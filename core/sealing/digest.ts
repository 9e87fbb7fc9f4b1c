import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HOUR_MS, addHours, archivedDayPrefixes, digestKey, hourOf, isQuarantined } from './keys';
import { QUARANTINE_REASON_METADATA } from './validate';
import { mapBounded } from '../pool';
import { listVersions, sha256Hex } from '../s3/objects';
import { writeEvidenceOnce } from './evidence-write';
import { TrustedKey } from './anchor/trusted-keys';
import { spkiFingerprint } from './anchor/fingerprint';
import { Keyring } from './anchor/keyring';
import { ChainHead, findChainHead, missingHours, vanishedObjects } from './chain-head';
import { ChainBreak, DIGEST_FORMAT, Digest, SealedEntry, signingString } from './digest-format';
import { LockPolicy } from './lock-policy';
import { Signer } from './signer';

export * from './digest-format';

export interface DigestContext {
  readonly s3: S3Client;
  readonly archiveBucket: string;
  readonly signer: Signer;
  readonly lock: LockPolicy;
  /** Landing expiry plus one: how long after arrival an object can be sealed. */
  readonly scanDays: number;
  /**
   * The published keyring bundled with the function: the signer's key must be
   * in it, and heads signed by any of its keys (before a rotation) are chained to.
   * @default none: only the signer's own key is trusted
   */
  readonly keyring?: Keyring;
  readonly now?: () => Date;
  readonly concurrency?: number;
}

/** The signer's key is not in the published keyring: nothing it signs would verify. */
export class UnpublishedKeyError extends Error {}

/** Every archive version under `acme/` (or quarantined) written between `from` and `to` (exclusive), oldest first. */
async function sealedBetween(ctx: DigestContext, from: Date, to: Date): Promise<SealedEntry[]> {
  const { versions } = await listVersions(
    ctx.s3,
    ctx.archiveBucket,
    archivedDayPrefixes(from, to, ctx.scanDays),
  );
  const inRange = versions.filter((v) => v.LastModified! >= from && v.LastModified! < to);
  const entries = await mapBounded(inRange, ctx.concurrency ?? 16, async (v) => {
    // Checksum and lock come from S3's own record of the version, not from the sealer.
    const head = await ctx.s3.send(
      new HeadObjectCommand({
        Bucket: ctx.archiveBucket,
        Key: v.Key,
        VersionId: v.VersionId,
        ChecksumMode: 'ENABLED',
      }),
    );
    return {
      key: v.Key!,
      versionId: v.VersionId!,
      size: head.ContentLength ?? 0,
      sha256: head.ChecksumSHA256 ?? '',
      retainUntil: (head.ObjectLockRetainUntilDate ?? new Date(0)).toISOString(),
      lockMode: head.ObjectLockMode ?? 'NONE',
      sealedAt: v.LastModified!.toISOString(),
      ...(isQuarantined(v.Key!)
        ? { quarantineReason: head.Metadata?.[QUARANTINE_REASON_METADATA] ?? 'unrecorded' }
        : {}),
    } satisfies SealedEntry;
  });
  return entries.sort((a, b) =>
    a.key === b.key ? a.sealedAt.localeCompare(b.sealedAt) : a.key < b.key ? -1 : 1,
  );
}

export interface WrittenDigest {
  readonly key: string;
  readonly objects: number;
  readonly bytes: number;
}

export interface DigestRun {
  readonly written: WrittenDigest[];
  /** What this run found wrong with the chain; recorded in the digest it wrote, if any. */
  readonly breaks: ChainBreak[];
  /** The newest digest this run wrote (the new chain head, to anchor), if it wrote any. */
  readonly head?: NewHead;
  /** Quarantined objects the digests it wrote list (each once: for the QuarantinedObjects alarm). */
  readonly quarantined: SealedEntry[];
}

/** A digest just written: what an anchor timestamps. */
export interface NewHead {
  readonly key: string;
  readonly hour: Date;
  /** Hex SHA-256 of its bytes: what the next digest's `previous` links to. */
  readonly sha256: string;
}

/**
 * The signer as a trusted key, refused unless the bundled keyring publishes it
 * for every hour it is about to sign: a digest it could not verify is never written.
 */
async function signerKey(
  ctx: DigestContext,
  hours: readonly Date[],
): Promise<{ fingerprint: string; keys: TrustedKey[] }> {
  const publicKey = await ctx.signer.publicKey();
  const fingerprint = spkiFingerprint(publicKey);
  const published = ctx.keyring?.keys ?? [];
  if (ctx.keyring !== undefined) {
    const stage = ctx.keyring.stage;
    const entry = published.find((k) => k.fingerprint === fingerprint);
    if (entry === undefined)
      throw new UnpublishedKeyError(
        `signing key ${ctx.signer.keyId} (fingerprint ${fingerprint}) is not in the ${stage} keyring; ` +
          `publish it in trust/${stage}/digest-keys.json before it signs`,
      );
    const outside = hours.find(
      (h) => h < entry.notBefore || (entry.notAfter !== undefined && h >= entry.notAfter),
    );
    if (outside !== undefined)
      throw new UnpublishedKeyError(
        `signing key ${fingerprint} is published for hours from ${entry.notBefore.toISOString()}` +
          `${entry.notAfter ? ` to ${entry.notAfter.toISOString()}` : ''}, not ${outside.toISOString()}; ` +
          `sign with the key trust/${stage}/digest-keys.json names for that hour`,
      );
  }
  const own = { fingerprint, publicKey, notBefore: new Date(0), via: 'signer' };
  return { fingerprint, keys: [own, ...published.map((k) => ({ ...k, via: 'keyring' }))] };
}

async function putDigest(
  ctx: DigestContext,
  fingerprint: string,
  hour: Date,
  content: Pick<Digest, 'previous' | 'objects' | 'breaks'>,
): Promise<WrittenDigest & { sha256: string }> {
  const now = ctx.now?.() ?? new Date();
  const digest: Digest = {
    format: DIGEST_FORMAT,
    archiveBucket: ctx.archiveBucket,
    hourStart: hour.toISOString(),
    hourEnd: new Date(hour.getTime() + HOUR_MS).toISOString(),
    previous: content.previous,
    signingKeyId: ctx.signer.keyId,
    signingKeyFingerprint: fingerprint,
    signatureAlgorithm: 'ECDSA_SHA_256',
    objects: content.objects,
    breaks: content.breaks,
  };
  const key = digestKey(hour);
  const body = Buffer.from(JSON.stringify(digest), 'utf8');
  const signature = await ctx.signer.sign(signingString(key, body));
  await writeEvidenceOnce(ctx, key, body, now, {
    signature: Buffer.from(signature).toString('base64'),
  });
  return { key, objects: content.objects.length, bytes: body.length, sha256: sha256Hex(body) };
}

/** A new chain: one digest per hour from `start` through `through`, none before it. */
async function startChain(ctx: DigestContext, fingerprint: string, start: Date, through: Date) {
  const sealed = await sealedBetween(ctx, start, addHours(through, 1));
  const written: WrittenDigest[] = [];
  let previous: Digest['previous'] = null;
  let head: NewHead | undefined;
  for (let hour = start; hour <= through; hour = addHours(hour, 1)) {
    const end = addHours(hour, 1).toISOString();
    const objects = sealed.filter((e) => e.sealedAt >= hour.toISOString() && e.sealedAt < end);
    const { sha256, ...done } = await putDigest(ctx, fingerprint, hour, {
      previous,
      objects,
      breaks: [],
    });
    written.push(done);
    previous = { key: done.key, sha256 };
    head = { key: done.key, hour, sha256 };
  }
  return { written, breaks: [], head, quarantined: sealed.filter((e) => e.quarantineReason) };
}

/**
 * Writes the digest of `through` (default: the last complete hour), linked
 * to the newest digest a trusted key signed, listing every version sealed
 * since that digest's hour. A missing, deleted, written-over or unsigned
 * digest after it, or an object it listed that is gone, is recorded in the
 * new digest as a break (and returned, for the alarm): never rewritten,
 * never adopted. With no chain yet, the chain starts at `genesis` (default
 * `through`), one digest per hour. Each digest is a conditional, locked write.
 */
export async function writeDigests(
  ctx: DigestContext,
  options: { through?: Date; genesis?: Date } = {},
): Promise<DigestRun> {
  const now = ctx.now?.() ?? new Date();
  const through = hourOf(options.through ?? addHours(hourOf(now), -1));
  const genesis = hourOf(options.genesis ?? through);
  const { fingerprint, keys } = await signerKey(ctx, [genesis, through]);
  const found = await findChainHead(ctx.s3, ctx.archiveBucket, keys, through);
  const head: ChainHead | undefined = found.head;
  if (head === undefined && found.breaks.length === 0)
    return startChain(ctx, fingerprint, genesis, through);
  if (head !== undefined && head.hour >= through)
    return { written: [], breaks: [], quarantined: [] };
  const breaks = [
    ...found.breaks.reverse(),
    ...(head ? missingHours(head, through, found.taken) : []),
    ...(head ? await vanishedObjects(ctx.s3, ctx.archiveBucket, head, ctx.concurrency) : []),
  ];
  // A key already taken (a planted or deleted digest of this very hour) is never written over.
  if (found.taken.has(digestKey(through))) return { written: [], breaks, quarantined: [] };
  const since = head ? addHours(head.hour, 1) : through;
  const objects = await sealedBetween(ctx, since, addHours(through, 1));
  const previous = head ? { key: head.key, sha256: head.sha256 } : null;
  const { sha256, ...done } = await putDigest(ctx, fingerprint, through, {
    previous,
    objects,
    breaks,
  });
  return {
    written: [done],
    breaks,
    head: { key: done.key, hour: through, sha256 },
    quarantined: objects.filter((e) => e.quarantineReason),
  };
}
