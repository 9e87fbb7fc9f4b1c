import { SealedEntry, openDigest } from '../digest-format';
import { addHours, digestKey } from '../keys';
import { mapBounded } from '../../pool';
import { readObject } from '../../s3/objects';
import type { Finding, VerifyContext } from './types';

export interface ReadDigest {
  hour: Date;
  key: string;
  sha256?: string;
  previous?: { key: string; sha256: string } | null;
  objects: SealedEntry[];
}

export async function readDigest(
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
  const opened = openDigest(ctx.trustedKeys, ctx.archiveBucket, key, object);
  const bytes = object.body.length;
  if (!opened.ok) {
    // Neither its entries nor its link are used: an untrusted digest vouches for nothing.
    findings.push({ kind: opened.reason, key, versionId: object.versionId, detail: opened.detail });
    return { hour, key, sha256: opened.sha256, objects: [], bytes };
  }
  findings.push(
    ...opened.digest.breaks.map((b) => ({
      kind: 'chain-break' as const,
      key: b.key,
      versionId: b.versionId,
      detail: `${b.kind} recorded in ${key}: ${b.detail}`,
    })),
  );
  const { previous, objects } = opened.digest;
  return { hour, key, sha256: opened.sha256, previous, objects, bytes };
}

export function checkLink(
  digest: ReadDigest,
  before: ReadDigest | undefined,
  findings: Finding[],
): void {
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

export interface WalkedChain {
  readonly digests: (ReadDigest & { bytes: number })[];
  /** Hour of the genesis digest when the chain begins inside the range. */
  readonly chainStart?: Date;
}

/**
 * Reads the digest of every hour in `hours` and checks each link against the
 * digest before it (the one before the range anchors the first). Hours
 * before a genesis digest that starts the chain inside the range are not
 * missing: there was no chain yet.
 */
export async function walkChain(
  ctx: VerifyContext,
  hours: readonly Date[],
  findings: Finding[],
): Promise<WalkedChain> {
  // The anchor's own findings are outside the range.
  const anchor = await readDigest(ctx, addHours(hours[0]!, -1), []);
  let done = 0;
  const digests = await mapBounded(hours, ctx.concurrency ?? 16, async (hour) => {
    const d = await readDigest(ctx, hour, findings);
    ctx.onProgress?.('digests', ++done, hours.length);
    return d;
  });
  digests.forEach((d, i) =>
    checkLink(d, i === 0 ? (anchor.sha256 ? anchor : undefined) : digests[i - 1], findings),
  );
  const genesis = digests.findIndex((d) => d.previous === null);
  const before = digests.slice(0, Math.max(genesis, 0));
  if (genesis <= 0 || anchor.sha256 !== undefined || before.some((d) => d.sha256 !== undefined))
    return { digests };
  const preChain = new Set(before.map((d) => d.key));
  const kept = findings.filter((f) => !(f.kind === 'missing-digest' && preChain.has(f.key)));
  findings.splice(0, findings.length, ...kept);
  return { digests, chainStart: digests[genesis]!.hour };
}
