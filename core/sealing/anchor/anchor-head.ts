import { S3Client } from '@aws-sdk/client-s3';
import { writeEvidenceOnce } from '../evidence-write';
import { LockPolicy } from '../lock-policy';
import { AnchorRecord, anchorKey, anchorRecord } from './anchor-record';
import { Timestamp, requestTimestamp } from './tsa-client';
import { TsaTrust } from './tsa-trust';

export interface AnchorContext {
  readonly s3: S3Client;
  readonly archiveBucket: string;
  readonly stage: string;
  /** The anchor is locked like the digests. */
  readonly lock: LockPolicy;
  /** The pinned TSAs (`trust/tsa/`): each is asked, each token is checked before it is kept. */
  readonly tsa: TsaTrust;
  readonly now?: () => Date;
}

export interface AnchorRun {
  /** The archive key of the anchor written; undefined when no TSA answered with a token that verifies. */
  readonly key?: string;
  readonly record?: AnchorRecord;
  /** One line per TSA that failed, naming it and why. */
  readonly failures: string[];
}

/**
 * Timestamps the chain head with every pinned TSA and stores the tokens as
 * `anchors/YYYY/MM/dd/HH.json` beside the digests: locked, written once
 * (`If-None-Match: *`). One token is enough; with none the hour stays
 * unanchored (the caller alarms) and the next hour's anchor covers it
 * through the chain. A TSA's genTime cannot be chosen by the account, so a
 * history re-signed later, with whatever key, no longer matches these anchors.
 */
export async function anchorHead(
  ctx: AnchorContext,
  head: { key: string; hour: Date; sha256: string },
): Promise<AnchorRun> {
  const timestamps: Timestamp[] = [];
  const failures: string[] = [];
  for (const tsa of ctx.tsa.tsas)
    try {
      timestamps.push(
        await requestTimestamp(Buffer.from(head.sha256, 'hex'), {
          url: tsa.url,
          trust: { tsas: [tsa] },
          now: ctx.now,
        }),
      );
    } catch (error) {
      failures.push(`${tsa.name}: ${(error as Error).message}`);
    }
  if (timestamps.length === 0) return { failures };
  const record = anchorRecord(
    { stage: ctx.stage, archiveBucket: ctx.archiveBucket },
    { key: head.key, sha256: head.sha256 },
    timestamps,
  );
  const key = anchorKey(head.hour);
  const body = Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
  await writeEvidenceOnce(ctx, key, body, ctx.now?.() ?? new Date());
  return { key, record, failures };
}
