import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  HOUR_MS,
  addHours,
  digestKey,
  hourOf,
  hourOfDigestKey,
  sealedDayPrefixes,
  DAY_MS,
  DIGEST_PREFIX,
} from './keys';
import { mapBounded } from '../pool';
import { objectPages } from '../s3/pagers';
import { listVersions, readObject, sha256Base64, sha256Hex } from '../s3/objects';
import { LockPolicy } from './seal';
import { Signer } from './signer';

export const DIGEST_FORMAT = 'logvault-digest/1';
/** User metadata of a digest object carrying its base64 DER signature. */
export const SIGNATURE_METADATA = 'signature';

const sealedEntry = z.strictObject({
  key: z.string(),
  versionId: z.string(),
  size: z.number().int().nonnegative(),
  /** Base64 SHA-256 of the object's bytes, as S3 reports it. */
  sha256: z.string(),
  retainUntil: z.iso.datetime(),
  lockMode: z.string(),
  sealedAt: z.iso.datetime(),
});
export type SealedEntry = z.infer<typeof sealedEntry>;

/**
 * One hour of the chain: every archive version sealed (written) in that hour,
 * and the previous digest's key and hex SHA-256 of its exact bytes. Objects
 * sealed late (by the reconciler, days after they arrived) are listed in the
 * digest of the hour they were sealed in, whatever their key's hour.
 */
export const digestSchema = z.strictObject({
  format: z.literal(DIGEST_FORMAT),
  archiveBucket: z.string(),
  hourStart: z.iso.datetime(),
  hourEnd: z.iso.datetime(),
  previous: z.strictObject({ key: z.string(), sha256: z.string() }).nullable(),
  signingKeyId: z.string(),
  signatureAlgorithm: z.literal('ECDSA_SHA_256'),
  objects: z.array(sealedEntry),
});
export type Digest = z.infer<typeof digestSchema>;

/**
 * What is signed: the digest's key and the SHA-256 of its bytes. The previous
 * link is inside the bytes, so the signature covers the chain too.
 */
export function signingString(key: string, body: Uint8Array): Uint8Array {
  return Buffer.from(`${DIGEST_FORMAT}\n${key}\n${sha256Hex(body)}`, 'utf8');
}

export interface DigestContext {
  readonly s3: S3Client;
  readonly archiveBucket: string;
  readonly signer: Signer;
  readonly lock: LockPolicy;
  /** Landing expiry plus one: how long after arrival an object can be sealed. */
  readonly scanDays: number;
  readonly now?: () => Date;
  readonly concurrency?: number;
}

interface ChainHead {
  key: string;
  hour: Date;
  sha256: string;
}

async function listDigestKeys(
  s3: S3Client,
  bucket: string,
  startAfter?: string,
): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of objectPages(s3, bucket, DIGEST_PREFIX, startAfter))
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
  return keys.filter((k) => hourOfDigestKey(k) !== undefined);
}

/** The latest digest at or before `through`; looks back a week first, then everywhere. */
async function chainHead(ctx: DigestContext, through: Date): Promise<ChainHead | undefined> {
  const limit = digestKey(through);
  const recent = await listDigestKeys(
    ctx.s3,
    ctx.archiveBucket,
    digestKey(new Date(through.getTime() - 7 * DAY_MS)),
  );
  let candidates = recent.filter((k) => k <= limit);
  if (candidates.length === 0)
    candidates = (await listDigestKeys(ctx.s3, ctx.archiveBucket)).filter((k) => k <= limit);
  const key = candidates.at(-1);
  if (key === undefined) return undefined;
  const object = await readObject(ctx.s3, ctx.archiveBucket, key);
  if (object === undefined) throw new Error(`digest ${key} was listed but cannot be read`);
  return { key, hour: hourOfDigestKey(key)!, sha256: sha256Hex(object.body) };
}

/** Every archive version under `acme/` written between `from` and `to` (exclusive), grouped by hour. */
async function sealedByHour(
  ctx: DigestContext,
  from: Date,
  to: Date,
): Promise<Map<number, SealedEntry[]>> {
  const { versions } = await listVersions(
    ctx.s3,
    ctx.archiveBucket,
    sealedDayPrefixes(from, to, ctx.scanDays),
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
    } satisfies SealedEntry;
  });
  const byHour = new Map<number, SealedEntry[]>();
  for (const e of entries) {
    const hour = hourOf(new Date(e.sealedAt)).getTime();
    byHour.set(hour, [...(byHour.get(hour) ?? []), e]);
  }
  return byHour;
}

export interface WrittenDigest {
  readonly key: string;
  readonly objects: number;
  readonly bytes: number;
}

/**
 * Writes the digests of every hour after the chain head up to `through`
 * (default: the last complete hour), oldest first, each linked to the one
 * before. With no chain yet, the chain starts at `genesis` (default `through`).
 * Reruns write nothing twice: each digest is a conditional, locked write.
 */
export async function writeDigests(
  ctx: DigestContext,
  options: { through?: Date; genesis?: Date } = {},
): Promise<WrittenDigest[]> {
  const now = ctx.now?.() ?? new Date();
  const through = hourOf(options.through ?? addHours(hourOf(now), -1));
  const head = await chainHead(ctx, through);
  const start = head ? addHours(head.hour, 1) : hourOf(options.genesis ?? through);
  if (start > through) return [];
  const sealed = await sealedByHour(ctx, start, addHours(through, 1));
  const written: WrittenDigest[] = [];
  let previous = head ? { key: head.key, sha256: head.sha256 } : null;
  for (let hour = start; hour <= through; hour = addHours(hour, 1)) {
    const objects = (sealed.get(hour.getTime()) ?? []).sort((a, b) =>
      a.key === b.key ? a.sealedAt.localeCompare(b.sealedAt) : a.key < b.key ? -1 : 1,
    );
    const digest: Digest = {
      format: DIGEST_FORMAT,
      archiveBucket: ctx.archiveBucket,
      hourStart: hour.toISOString(),
      hourEnd: new Date(hour.getTime() + HOUR_MS).toISOString(),
      previous,
      signingKeyId: ctx.signer.keyId,
      signatureAlgorithm: 'ECDSA_SHA_256',
      objects,
    };
    const key = digestKey(hour);
    const body = Buffer.from(JSON.stringify(digest), 'utf8');
    const signature = await ctx.signer.sign(signingString(key, body));
    await ctx.s3.send(
      new PutObjectCommand({
        Bucket: ctx.archiveBucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        Metadata: { [SIGNATURE_METADATA]: Buffer.from(signature).toString('base64') },
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256Base64(body),
        ObjectLockMode: ctx.lock.mode,
        ObjectLockRetainUntilDate: new Date(now.getTime() + ctx.lock.days * DAY_MS),
      }),
    );
    written.push({ key, objects: objects.length, bytes: body.length });
    previous = { key, sha256: sha256Hex(body) };
  }
  return written;
}
