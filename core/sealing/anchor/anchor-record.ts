import { z } from 'zod';
import { prefixes } from '../../naming';
import { hourPath } from '../keys';
import { Timestamp } from './tsa-client';

export const ANCHOR_FORMAT = 'logvault-anchor/1';
/** Anchors sit beside the digests in the archive, and under `<stage>/` in the public anchor repository. */
export const ANCHOR_PREFIX = prefixes.anchors;

/**
 * One external anchor: RFC 3161 tokens, from one or more pinned TSAs, over
 * the SHA-256 of the exact bytes of the chain head (the digest `head.key`).
 * That hash is the value the next digest's `previous.sha256` links to, so
 * an anchor fixes the head and, through the links, every digest before it.
 * The record needs no signature of its own: the tokens are the proof.
 */
export const anchorRecordSchema = z.strictObject({
  format: z.literal(ANCHOR_FORMAT),
  stage: z.string().min(1),
  archiveBucket: z.string().min(1),
  head: z.strictObject({
    key: z.string().regex(/^digests\/\d{4}\/\d{2}\/\d{2}\/\d{2}\.json$/, 'a digest key'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
  }),
  tokens: z.array(z.strictObject({ tsa: z.string().min(1), token: z.base64() })).min(1),
});
export type AnchorRecord = z.infer<typeof anchorRecordSchema>;

/** `anchors/YYYY/MM/dd/HH.json`: the anchor of the digest of that hour. */
export function anchorKey(headHour: Date): string {
  return `${ANCHOR_PREFIX}${hourPath(headHour)}.json`;
}

export function anchorRecord(
  archive: { stage: string; archiveBucket: string },
  head: { key: string; sha256: string },
  timestamps: readonly Timestamp[],
): AnchorRecord {
  return anchorRecordSchema.parse({
    format: ANCHOR_FORMAT,
    stage: archive.stage,
    archiveBucket: archive.archiveBucket,
    head,
    tokens: timestamps.map((t) => ({ tsa: t.tsa, token: Buffer.from(t.token).toString('base64') })),
  });
}
