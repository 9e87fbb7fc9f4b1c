import { HeadObjectCommand, HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { isNotFound } from '../../s3/objects';
import { stageLockPolicy } from '../../sealing/lock-policy';
import type { SmokeContext } from '../context';
import type { Undo } from '../cleanup';
import { lockShortfall } from '../lock-headers';
import { CheckVerdict, fail, pass } from '../result';
import { deleteCanaryObject } from '../s3-search';

async function head(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A sealed canary cannot be deleted: Object Lock forbids it. Cleanup says so and where. */
function keptLocked(s3: S3Client, bucket: string, key: string): Undo {
  return async () => {
    const got = await head(s3, bucket, key);
    if (got === undefined) return 'already-gone';
    const until = got.ObjectLockRetainUntilDate?.toISOString() ?? 'unknown';
    return {
      kept: `${got.ContentLength} bytes under Object Lock ${got.ObjectLockMode} until ${until}; one canary ACME event, deletable by nobody until then (docs/deploy.md §5)`,
    };
  };
}

/** Waits until every key is in the archive, or the wait ends; the heads found. */
async function awaitSealed(ctx: SmokeContext, archive: string, keys: readonly string[]) {
  const deadline = ctx.now().getTime() + ctx.waitMs;
  const heads = new Map<string, HeadObjectCommandOutput>();
  for (;;) {
    for (const key of keys.filter((k) => !heads.has(k))) {
      const got = await head(ctx.clients.s3, archive, key);
      if (got !== undefined) heads.set(key, got);
    }
    if (heads.size === keys.length || ctx.now().getTime() >= deadline) return heads;
    await sleep(ctx.pollMs);
  }
}

/**
 * The ACME canaries (from the streams check) sealed into the Object Lock
 * archive by the seal function, each with the stage's lock mode and a
 * retain-until no shorter than the stage's lock.
 */
export async function sealCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  const keys = ctx.found.acmeKeys;
  if (keys.length === 0) return fail('no ACME canary reached the stage (see the streams check)');
  const landing = ctx.bucket('subscriber-landing');
  const archive = ctx.bucket('subscriber-archive');
  for (const key of keys) {
    ctx.cleanup.add(`s3://${landing}/${key}`, deleteCanaryObject(ctx.clients.s3, landing, key));
    ctx.cleanup.add(`s3://${archive}/${key}`, keptLocked(ctx.clients.s3, archive, key));
  }
  const started = ctx.now();
  await ctx.sealNow?.();
  const heads = await awaitSealed(ctx, archive, keys);
  const lock = stageLockPolicy(ctx.config);
  const problems = keys.map((key) => {
    const got = heads.get(key);
    if (got === undefined) return `${key}: not sealed within ${ctx.waitMs / 1000} s`;
    const headers = { mode: got.ObjectLockMode, retainUntil: got.ObjectLockRetainUntilDate };
    const shortfall = lockShortfall(headers, lock, got.LastModified ?? started);
    return shortfall && `${key}: ${shortfall}`;
  });
  const observed = {
    'S3 accepts conditional writes (If-None-Match) on the Object Lock bucket':
      heads.size > 0
        ? 'yes (the seal function wrote the canary with If-None-Match: *)'
        : 'not seen',
  };
  const broken = problems.filter((p) => p !== undefined);
  if (broken.length > 0) return fail(broken.join('; '), observed);
  return pass(
    `${keys.length} canary object(s) sealed in s3://${archive} with ${lock.mode} for ${lock.days} days`,
    observed,
  );
}
