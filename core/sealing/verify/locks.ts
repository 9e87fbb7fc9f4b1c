import { HeadObjectCommand, type ObjectVersion } from '@aws-sdk/client-s3';
import { mapBounded } from '../../pool';
import { HOUR_MS } from '../../time/units';
import { LockPolicy, retainUntil } from '../lock-policy';
import type { Finding, VerifyContext } from './types';

/**
 * The writer sets retain-until from its own clock, a little before S3 stamps
 * LastModified; an hour absorbs that, and a lock short by more is reported.
 */
const CLOCK_SLACK_MS = HOUR_MS;

/** What is wrong with one version's lock against the stage's: its mode, or a retain-until short of the stage's lock. */
export function lockFindings(
  lock: LockPolicy,
  version: { key: string; versionId?: string; written: Date },
  actual: { mode?: string; retainUntil?: Date },
): Finding[] {
  const owed = retainUntil(lock, version.written);
  const problems = [
    actual.mode !== lock.mode && `mode ${actual.mode ?? 'none'}, stage requires ${lock.mode}`,
    (actual.retainUntil?.getTime() ?? 0) < owed.getTime() - CLOCK_SLACK_MS &&
      `locked until ${actual.retainUntil?.toISOString() ?? 'never'}, stage requires ${owed.toISOString()} (written ${version.written.toISOString()})`,
  ].filter((p): p is string => typeof p === 'string');
  return problems.length === 0
    ? []
    : [
        {
          kind: 'short-lock',
          key: version.key,
          versionId: version.versionId,
          detail: problems.join('; '),
        },
      ];
}

/**
 * Reads the lock of every archive version written in [from, end), digested or
 * not, and reports each locked in another mode or for less than the stage's
 * lock: an object planted with a short lock, or sealed by a sealer whose lock
 * setting was lowered (the digest then records the short date faithfully).
 */
export async function checkLocks(
  ctx: VerifyContext & { lock: LockPolicy },
  versions: readonly ObjectVersion[],
  range: { from: number; end: number },
): Promise<Finding[]> {
  const inRange = versions.filter((v) => {
    const written = v.LastModified!.getTime();
    return written >= range.from && written < range.end;
  });
  const findings: Finding[] = [];
  await mapBounded(inRange, ctx.concurrency ?? 16, async (v) => {
    const head = await ctx.s3.send(
      new HeadObjectCommand({ Bucket: ctx.archiveBucket, Key: v.Key!, VersionId: v.VersionId }),
    );
    findings.push(
      ...lockFindings(
        ctx.lock,
        { key: v.Key!, versionId: v.VersionId, written: v.LastModified! },
        { mode: head.ObjectLockMode, retainUntil: head.ObjectLockRetainUntilDate },
      ),
    );
  });
  return findings;
}
