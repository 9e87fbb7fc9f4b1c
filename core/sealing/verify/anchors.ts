import { S3Client } from '@aws-sdk/client-s3';
import { prefixes, witnessAnchorPrefix } from '../../naming';
import { objectPages } from '../../s3/pagers';
import { readObject } from '../../s3/objects';
import { AnchorCandidate, checkAnchors } from '../anchor/check-anchors';
import { HOUR_MS } from '../keys';
import type { ReadDigest } from './chain';
import type { AnchorOptions, Finding } from './types';

/** Every anchor record under `prefix` of a bucket, unparsed ones as text. */
async function anchorsUnder(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<AnchorCandidate[]> {
  const candidates: AnchorCandidate[] = [];
  for await (const page of objectPages(s3, bucket, prefix))
    for (const o of page.Contents ?? []) {
      const object = await readObject(s3, bucket, o.Key!);
      if (object === undefined) continue;
      const text = Buffer.from(object.body).toString('utf8');
      let record: unknown = text;
      try {
        record = JSON.parse(text);
      } catch {
        // kept as text: checkAnchors reports it as anchor-invalid
      }
      candidates.push({ source: `s3://${bucket}/${o.Key}`, record });
    }
  return candidates;
}

/** Every anchor record stored in the archive (`anchors/`). */
export function archiveAnchors(s3: S3Client, bucket: string): Promise<AnchorCandidate[]> {
  return anchorsUnder(s3, bucket, prefixes.anchors);
}

/** The stage's anchors published in the witness account's bucket (`<stage>/anchors/`). */
export function witnessAnchors(
  s3: S3Client,
  bucket: string,
  stage: string,
): Promise<AnchorCandidate[]> {
  return anchorsUnder(s3, bucket, witnessAnchorPrefix(stage));
}

/**
 * The chain as verify read it, against every anchor it can reach: a head
 * whose bytes changed since a TSA timestamped it was rewritten, whichever
 * key re-signed it. Hours before the chain began are not links.
 */
export async function anchorFindings(
  options: AnchorOptions,
  archiveBucket: string,
  digests: readonly ReadDigest[],
  chainStart: Date | undefined,
): Promise<Finding[]> {
  const links = digests
    .filter((d) => chainStart === undefined || d.hour >= chainStart)
    .map((d) => ({ key: d.key, hourEnd: new Date(d.hour.getTime() + HOUR_MS), sha256: d.sha256 }));
  const { findings } = await checkAnchors({
    links,
    anchors: options.candidates,
    tsa: options.tsa,
    stage: options.stage,
    archiveBucket,
    now: options.now ?? new Date(),
    maxDelayHours: options.maxDelayHours,
    maxUnanchoredHours:
      options.expected === false ? Number.POSITIVE_INFINITY : options.maxDelayHours,
  });
  return findings;
}
