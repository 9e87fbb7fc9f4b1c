import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SEALED_PREFIX, quarantineKey } from './keys';
import { QUARANTINE_REASON_METADATA, validateSealable } from './validate';
import { HOUR_MS } from '../time/units';
import type { MetricDatum } from '../naming';
import { LockPolicy, retainUntil as lockRetainUntil } from './lock-policy';
import { mapBounded } from '../pool';
import { objectPages } from '../s3/pagers';
import { isNotFound, isPreconditionFailed, readObject, sha256Base64 } from '../s3/objects';

export type { LockPolicy };

export interface SealContext {
  readonly s3: S3Client;
  readonly landingBucket: string;
  readonly archiveBucket: string;
  readonly lock: LockPolicy;
  readonly now?: () => Date;
}

export interface SealOutcome {
  readonly key: string;
  /**
   * `sealed`: copied, verified, landing deleted. `already-sealed`: the archive
   * held the same bytes (redelivery or rerun); landing deleted if still there.
   * `gone`: neither landing nor archive has the key (nothing to do).
   */
  readonly status: 'sealed' | 'already-sealed' | 'gone';
  readonly versionId?: string;
  readonly sha256?: string;
  readonly size?: number;
  /**
   * Set when the object failed validation: it is archived, locked like the
   * rest, under `key` (the quarantine prefix, which no table reads) instead.
   */
  readonly quarantine?: { readonly key: string; readonly reason: string };
}

/** The archive holds different bytes under the key: never overwrite, never delete landing. */
export class SealConflictError extends Error {}

/**
 * The landing object holds OCSP request records, which a misconfigured
 * producer sent to an ACME stream: archiving them, even under quarantine,
 * would lock for years what the policy deletes within seven days. It is left
 * in landing, whose lifecycle expires it within days, and the failure alarms
 * (seal dead letters on the event path, seal failures from the reconciler).
 */
export class SealWithheldError extends Error {}

/** The copy in the archive does not match what was sealed; landing is kept. */
export class SealVerificationError extends Error {}

interface ArchivedVersion {
  versionId: string;
  sha256?: string;
  size: number;
  quarantine?: { key: string; reason: string };
}

async function currentArchived(
  ctx: SealContext,
  key: string,
): Promise<ArchivedVersion | undefined> {
  try {
    const head = await ctx.s3.send(
      new HeadObjectCommand({ Bucket: ctx.archiveBucket, Key: key, ChecksumMode: 'ENABLED' }),
    );
    const reason = head.Metadata?.[QUARANTINE_REASON_METADATA];
    return {
      versionId: head.VersionId!,
      sha256: head.ChecksumSHA256,
      size: head.ContentLength ?? 0,
      ...(reason === undefined ? {} : { quarantine: { key, reason } }),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function deleteLanding(ctx: SealContext, key: string): Promise<void> {
  await ctx.s3.send(new DeleteObjectCommand({ Bucket: ctx.landingBucket, Key: key }));
}

/** Compares what the archive holds under `key` with the landing bytes' hash. */
async function settleExisting(
  ctx: SealContext,
  key: string,
  sha256: string,
  existing: ArchivedVersion,
): Promise<SealOutcome> {
  if (existing.sha256 !== sha256)
    throw new SealConflictError(
      `archive already holds ${key} (version ${existing.versionId}) with SHA-256 ${existing.sha256 ?? 'none'}, ` +
        `landing has ${sha256}; left both untouched`,
    );
  await deleteLanding(ctx, key);
  return alreadySealed(key, existing);
}

function alreadySealed(key: string, archived: ArchivedVersion): SealOutcome {
  const { quarantine, ...version } = archived;
  return { key, status: 'already-sealed', ...version, ...(quarantine ? { quarantine } : {}) };
}

/** The object's archived copy, whether it was sealed or quarantined. */
async function archivedCopy(ctx: SealContext, key: string) {
  return (await currentArchived(ctx, key)) ?? (await currentArchived(ctx, quarantineKey(key)));
}

/**
 * Seals one landing object: writes its bytes to the archive under the same key
 * with the configured lock and a full-object SHA-256 that S3 checks on
 * receipt, confirms the stored version, then deletes the landing copy.
 * An object that fails validation (`validateSealable`) is archived the same
 * way under the quarantine prefix instead, with the reason as metadata: kept
 * and locked as a subscriber log, never read by the tables.
 * Idempotent: the write is conditional (`If-None-Match: *`), so a redelivered
 * or concurrent event finds the first copy and never makes a second version.
 */
export async function sealObject(ctx: SealContext, key: string): Promise<SealOutcome> {
  const landing = await readObject(ctx.s3, ctx.landingBucket, key);
  if (landing === undefined) {
    const archived = await archivedCopy(ctx, key);
    return archived ? alreadySealed(key, archived) : { key, status: 'gone' };
  }
  const sha256 = sha256Base64(landing.body);
  // Deterministic, so a rerun of the same bytes targets the same key and finds its first copy.
  const verdict = validateSealable(landing.body);
  if (!verdict.ok && verdict.otherClass !== undefined)
    throw new SealWithheldError(
      `landing ${key} not archived: ${verdict.reason}. It stays in landing, which expires it ` +
        'within its lifecycle days; find the producer that sent OCSP records to an ACME stream, ' +
        're-ship any ACME lines of this object before it expires, then delete it ' +
        '(docs/sealing.md, "Quarantine")',
    );
  const quarantine = verdict.ok ? undefined : { key: quarantineKey(key), reason: verdict.reason };
  const target = quarantine?.key ?? key;

  const now = ctx.now?.() ?? new Date();
  const retainUntil = lockRetainUntil(ctx.lock, now);
  let versionId: string;
  try {
    const put = await ctx.s3.send(
      new PutObjectCommand({
        Bucket: ctx.archiveBucket,
        Key: target,
        Body: landing.body,
        ContentType: 'application/x-ndjson',
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256,
        ObjectLockMode: ctx.lock.mode,
        ObjectLockRetainUntilDate: retainUntil,
        Metadata: quarantine && { [QUARANTINE_REASON_METADATA]: quarantine.reason },
      }),
    );
    versionId = put.VersionId!;
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    // Already archived: a redelivered event, a rerun, or a concurrent delivery that won.
    const winner = await currentArchived(ctx, target);
    if (!winner) throw error;
    return settleExisting(ctx, key, sha256, winner);
  }

  await checkStored(ctx, target, versionId, { sha256, size: landing.body.length, retainUntil });
  await deleteLanding(ctx, key);
  return {
    key,
    status: 'sealed',
    versionId,
    sha256,
    size: landing.body.length,
    ...(quarantine ? { quarantine } : {}),
  };
}

/** Reads the stored version back: S3's checksum, size and lock must be what was written. */
async function checkStored(
  ctx: SealContext,
  key: string,
  versionId: string,
  written: { sha256: string; size: number; retainUntil: Date },
): Promise<void> {
  const { sha256, size, retainUntil } = written;
  const stored = await ctx.s3.send(
    new HeadObjectCommand({
      Bucket: ctx.archiveBucket,
      Key: key,
      VersionId: versionId,
      ChecksumMode: 'ENABLED',
    }),
  );
  const problems = [
    stored.ChecksumSHA256 !== sha256 && `SHA-256 ${stored.ChecksumSHA256} != ${sha256}`,
    stored.ContentLength !== size && `size ${stored.ContentLength} != ${size}`,
    stored.ObjectLockMode !== ctx.lock.mode &&
      `lock mode ${stored.ObjectLockMode} != ${ctx.lock.mode}`,
    (stored.ObjectLockRetainUntilDate?.getTime() ?? 0) < retainUntil.getTime() - 1000 &&
      `retain-until ${stored.ObjectLockRetainUntilDate?.toISOString()} < ${retainUntil.toISOString()}`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0)
    throw new SealVerificationError(
      `archived ${key} (${versionId}) fails checks: ${problems.join('; ')}`,
    );
}

export interface PendingResult {
  readonly outcomes: SealOutcome[];
  /** Objects that could not be sealed, with the reason; they stay in landing. */
  readonly failures: { key: string; error: string }[];
  /** Age in hours of the oldest object still in landing afterwards (0 when empty). */
  readonly oldestRemainingAgeHours: number;
}

/**
 * The reconciler path: seals every landing object under `acme/` last modified
 * at or before `olderThan` (all of them when omitted). Failures are collected,
 * not thrown, so one bad object cannot block the rest.
 */
export async function sealPending(
  ctx: SealContext,
  options: { olderThan?: Date; concurrency?: number } = {},
): Promise<PendingResult> {
  const now = ctx.now?.() ?? new Date();
  const listed: { key: string; lastModified: Date }[] = [];
  for await (const page of objectPages(ctx.s3, ctx.landingBucket, SEALED_PREFIX))
    for (const o of page.Contents ?? [])
      listed.push({ key: o.Key!, lastModified: o.LastModified ?? now });

  const due = listed.filter((o) => !options.olderThan || o.lastModified <= options.olderThan);
  const failures: { key: string; error: string }[] = [];
  const results = await mapBounded(due, options.concurrency ?? 8, async (o) => {
    try {
      return await sealObject(ctx, o.key);
    } catch (error) {
      failures.push({ key: o.key, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  });
  const outcomes = results.filter((r): r is SealOutcome => r !== undefined);
  const sealedKeys = new Set(outcomes.map((o) => o.key));
  const remaining = listed.filter((o) => !sealedKeys.has(o.key));
  const oldest = remaining.reduce(
    (min, o) => Math.min(min, o.lastModified.getTime()),
    now.getTime(),
  );
  return { outcomes, failures, oldestRemainingAgeHours: (now.getTime() - oldest) / HOUR_MS };
}

/** What the reconciler reports: objects it had to seal, failures, the oldest object left waiting. */
export function reconcilerMetrics(result: PendingResult): MetricDatum[] {
  return [
    {
      metric: 'reconcilerSealedObjects',
      value: result.outcomes.filter((o) => o.status === 'sealed').length,
    },
    { metric: 'sealFailures', value: result.failures.length },
    { metric: 'landingOldestObjectAgeHours', value: result.oldestRemainingAgeHours },
  ];
}
