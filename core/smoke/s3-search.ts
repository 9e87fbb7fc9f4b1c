import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';
import { objectPages } from '../s3/pagers';
import { logObjectBytes } from '../s3/log-text';
import { readObject } from '../s3/objects';
import { hourPath, hoursOverlapping } from '../time/hours';
import { onlyCanaryLines } from './canary';
import type { Undo } from './cleanup';

/** Clock skew and S3 timestamp rounding allowed when telling new objects from old. */
const SKEW_MS = 60_000;

/** Where canary lines are looked for: buckets and the arrival-hour prefixes since `since`. */
export interface CanarySearch {
  readonly s3: S3Client;
  /** Searched in order; the ACME canary may already have moved from landing to the archive. */
  readonly buckets: readonly string[];
  /** Data prefix of the stream (`ocsp/`, `acme/`), above `YYYY/MM/dd/HH/`. */
  readonly prefix: string;
  readonly since: Date;
}

/** Where a canary line was found. */
export interface FoundCanary {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Polls until every tag is found in an object written since `since` (each
 * object read once), or `waitMs` passes. Resolves with where each tag was
 * found; tags not found are missing from the map.
 */
export async function findCanaries(
  search: CanarySearch,
  tags: readonly string[],
  timing: { waitMs: number; pollMs: number; now: () => Date },
): Promise<Map<string, FoundCanary>> {
  const found = new Map<string, FoundCanary>();
  const read = new Set<string>();
  const deadline = timing.now().getTime() + timing.waitMs;
  for (;;) {
    for (const bucket of search.buckets)
      for (const key of await newKeys(search, bucket, timing.now())) {
        if (read.has(`${bucket}/${key}`)) continue;
        read.add(`${bucket}/${key}`);
        const got = await readObject(search.s3, bucket, key);
        const text = textOf(got?.body ?? new Uint8Array());
        for (const tag of tags) if (text.includes(`"${tag}"`)) found.set(tag, { bucket, key });
      }
    if (found.size === tags.length || timing.now().getTime() >= deadline) return found;
    await sleep(timing.pollMs);
  }
}

/**
 * An object's lines as written: GZIP on AWS, plain on moto. An object that
 * cannot be read holds no canary line, so it is neither found nor deleted.
 */
function textOf(body: Uint8Array): string {
  try {
    return logObjectBytes(body).toString('utf8');
  } catch {
    return '';
  }
}

/** Keys under the arrival hours since `search.since`, written since then. */
async function newKeys(search: CanarySearch, bucket: string, now: Date): Promise<string[]> {
  const since = search.since.getTime() - SKEW_MS;
  const keys: string[] = [];
  for (const hour of hoursOverlapping(since, now.getTime() + SKEW_MS))
    for await (const page of objectPages(search.s3, bucket, `${search.prefix}${hourPath(hour)}/`))
      for (const o of page.Contents ?? [])
        if (o.LastModified!.getTime() >= since) keys.push(o.Key!);
  return keys;
}

/**
 * Deletes a canary object if it still holds canary lines only. Firehose
 * buffers, so on a stage that already takes traffic a canary line may share
 * an object with real lines: that object is kept, and the run says so.
 */
export function deleteCanaryObject(s3: S3Client, bucket: string, key: string): Undo {
  return async () => {
    const got = await readObject(s3, bucket, key);
    if (got === undefined) return 'already-gone';
    if (!onlyCanaryLines(textOf(got.body)))
      return {
        kept: `s3://${bucket}/${key} also holds live lines; its canary line stays until the bucket's expiry`,
      };
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return 'removed';
  };
}
