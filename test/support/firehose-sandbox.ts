import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { AwsClients } from '../../local/aws-clients';
import {
  DeliveredLogType,
  awsPlacement,
  bucketName,
  deliveryDestinations,
} from '../../core/naming';
import { LOCAL_ACCOUNT, uniqueSuffix } from './standins';

/**
 * A bucket and a DirectPut stream into it under `prefix`, unique per call, on
 * the shared moto stand-in; `remove()` deletes the stream (moto allows 50).
 */
export interface FirehoseSandbox {
  readonly bucket: string;
  readonly stream: string;
  /** Every line of every object under the prefix, in object order. */
  readLines(): Promise<string[]>;
  remove(): Promise<void>;
}

export async function firehoseSandbox(
  clients: AwsClients,
  name: string,
  prefix = 'ocsp/',
): Promise<FirehoseSandbox> {
  const id = `${name}-${uniqueSuffix()}`;
  return sandboxAt(clients, id, id, prefix, `${prefix.slice(0, -1)}-errors/`);
}

/**
 * A stream named `name-<unique>` that delivers where logvault lands `type`
 * (the type's bucket of a unique stage, its prefixes), as `logvault ship`'s
 * destination check requires (core/ingest/stream-destination.ts). The name
 * need not say the type: what the stream delivers into does.
 */
export async function logvaultSandbox(
  clients: AwsClients,
  name: string,
  type: DeliveredLogType,
): Promise<FirehoseSandbox & { readonly stage: string }> {
  const suffix = uniqueSuffix();
  const stage = `sb${suffix}`;
  const to = deliveryDestinations[type];
  const bucket = bucketName(stage, to.bucket, awsPlacement(LOCAL_ACCOUNT, 'us-east-1'));
  const box = await sandboxAt(clients, bucket, `${name}-${suffix}`, to.prefix, to.errorPrefix);
  return { ...box, stage };
}

async function sandboxAt(
  clients: AwsClients,
  bucket: string,
  stream: string,
  prefix: string,
  errorPrefix: string,
): Promise<FirehoseSandbox> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: stream,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${bucket}`,
        RoleARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/firehose-sandbox`,
        Prefix: prefix,
        ErrorOutputPrefix: errorPrefix,
      },
    }),
  );
  return {
    bucket,
    stream,
    async readLines() {
      const lines: string[] = [];
      let token: string | undefined;
      do {
        const page = await clients.s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const body = await clients.s3.send(
            new GetObjectCommand({ Bucket: bucket, Key: object.Key }),
          );
          const text = await body.Body!.transformToString();
          // Every record the shipper sends ends with a newline, so objects split cleanly.
          expect(text.endsWith('\n')).toBe(true);
          lines.push(...text.slice(0, -1).split('\n'));
        }
        token = page.NextContinuationToken;
      } while (token);
      return lines;
    },
    remove: () =>
      clients.firehose
        .send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: stream }))
        .then(() => undefined),
  };
}

/** Compares what was read back with what was sent: missing lines, and extra copies. */
export function reconcile(
  sent: string[],
  received: string[],
): { lost: number; duplicates: number; unexpected: number } {
  const counts = new Map<string, number>();
  for (const line of received) counts.set(line, (counts.get(line) ?? 0) + 1);
  let lost = 0;
  let duplicates = 0;
  for (const line of sent) {
    const n = counts.get(line) ?? 0;
    if (n === 0) lost++;
    else duplicates += n - 1;
    counts.delete(line);
  }
  return { lost, duplicates, unexpected: [...counts.values()].reduce((a, b) => a + b, 0) };
}

/**
 * The lines of `after` that `before` does not hold, counted as a multiset:
 * two deliveries within one second get object keys in no fixed order, so a
 * slice of the listing by the old count can return an earlier line.
 */
export function addedLines(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const line of before) left.set(line, (left.get(line) ?? 0) + 1);
  return after.filter((line) => {
    const count = left.get(line) ?? 0;
    if (count > 0) left.set(line, count - 1);
    return count === 0;
  });
}
