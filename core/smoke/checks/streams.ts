import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { LogType } from '../../ingest/schemas';
import { BucketPurpose, deliveryStreamName, prefixes } from '../../naming';
import { canaryLine, canaryTag } from '../canary';
import type { SmokeContext } from '../context';
import { CheckVerdict, fail, pass } from '../result';
import { deleteCanaryObject, findCanaries } from '../s3-search';

/** Where each stream delivers (lib/ingestion/ingestion.ts). */
const DELIVERY: Record<LogType, { buckets: BucketPurpose[]; prefix: string }> = {
  ocsp: { buckets: ['ocsp-raw'], prefix: prefixes.ocsp },
  // The seal function may move the object to the archive before it is seen in landing.
  acme: { buckets: ['subscriber-landing', 'subscriber-archive'], prefix: prefixes.acme },
};

interface SentCanary {
  readonly type: LogType;
  readonly stream: string;
  readonly tag: string;
}

/** One canary line per delivery stream, each with its own tag, sent as the shipper sends. */
async function sendCanaries(ctx: SmokeContext): Promise<SentCanary[]> {
  const sent: SentCanary[] = [];
  for (const type of ['ocsp', 'acme'] as const)
    for (let i = 1; i <= ctx.config.ingestion.streamCount[type]; i++) {
      const stream = deliveryStreamName(ctx.stage, type, i);
      const tag = canaryTag(`${ctx.runId}-${i}`);
      const line = canaryLine(type, `${ctx.runId}-${i}`, ctx.now());
      const out = await ctx.clients.firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: stream,
          Records: [{ Data: Buffer.from(line) }],
        }),
      );
      if ((out.FailedPutCount ?? 0) > 0)
        throw new Error(`${stream} refused the canary: ${out.RequestResponses?.[0]?.ErrorCode}`);
      sent.push({ type, stream, tag });
    }
  return sent;
}

/**
 * Canary lines through every OCSP and ACME delivery stream, each found in
 * the bucket its stream writes. OCSP canaries are deleted after; the ACME
 * canary is left for the seal check (the seal function moves it to the
 * archive), whose cleanup handles it.
 */
export async function streamsCheck(ctx: SmokeContext): Promise<CheckVerdict> {
  const since = ctx.now();
  const sent = await sendCanaries(ctx);
  const missing: string[] = [];
  for (const type of ['ocsp', 'acme'] as const) {
    const ofType = sent.filter((s) => s.type === type);
    const { prefix } = DELIVERY[type];
    const buckets = DELIVERY[type].buckets.map((b) => ctx.bucket(b));
    const search = { s3: ctx.clients.s3, buckets, prefix, since };
    const found = await findCanaries(
      search,
      ofType.map((s) => s.tag),
      ctx,
    );
    const where = `s3://${buckets[0]}/${prefix}`;
    for (const s of ofType) {
      const at = found.get(s.tag);
      if (at === undefined) {
        missing.push(`${s.stream} (not in ${where})`);
        ctx.cleanup.add(`canary of ${s.stream}`, async () => {
          throw new Error(
            `never found; if it arrives later, delete the object under ${where} whose line carries "${s.tag}"`,
          );
        });
      } else if (type === 'ocsp')
        ctx.cleanup.add(
          `s3://${at.bucket}/${at.key}`,
          deleteCanaryObject(ctx.clients.s3, at.bucket, at.key),
        );
      else ctx.found.acmeKeys.push(at.key);
    }
  }
  const observed = {
    'Firehose accepts a PutRecordBatch and delivers it': missing.length === 0 ? 'yes' : 'no',
  };
  if (missing.length > 0)
    return fail(`no canary within ${ctx.waitMs / 1000} s from ${missing.join(', ')}`, observed);
  return pass(`${sent.length} canary lines, one per stream, each found in its bucket`, observed);
}
