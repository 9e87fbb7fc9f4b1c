import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { AwsClients } from '../../local/aws-clients';
import { uniqueSuffix } from './standins';

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
  await clients.s3.send(new CreateBucketCommand({ Bucket: id }));
  await clients.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: id,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${id}`,
        RoleARN: 'arn:aws:iam::123456789012:role/firehose-sandbox',
        Prefix: prefix,
      },
    }),
  );
  return {
    bucket: id,
    stream: id,
    async readLines() {
      const lines: string[] = [];
      let token: string | undefined;
      do {
        const page = await clients.s3.send(
          new ListObjectsV2Command({ Bucket: id, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const body = await clients.s3.send(new GetObjectCommand({ Bucket: id, Key: object.Key }));
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
        .send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: id }))
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
