import { randomUUID } from 'node:crypto';

/**
 * Firehose data-transformation events as the Amazon Data Firehose developer
 * guide documents them for a Direct PUT stream: `invocationId`,
 * `deliveryStreamArn`, `region`, and `records` of `recordId`,
 * `approximateArrivalTimestamp` (ms) and base64 `data`.
 */

export const streamArn = (name: string) =>
  `arn:aws:firehose:eu-west-1:123456789012:deliverystream/${name}`;

/** One Firehose record per entry; a string array is packed the way Kinesis Agent aggregates lines. */
export function firehoseEvent(
  stream: string,
  records: readonly (string | readonly string[] | Buffer)[],
  arrivedAt = Date.now(),
) {
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: streamArn(stream),
    region: 'eu-west-1',
    records: records.map((entry, i) => ({
      // Firehose record ids are long opaque strings; their shape is not the function's concern.
      recordId: `49546986683135544286507457936321625675700192471156785154${String(i).padStart(6, '0')}`,
      approximateArrivalTimestamp: arrivedAt,
      data: (Buffer.isBuffer(entry)
        ? entry
        : Buffer.from(typeof entry === 'string' ? entry : entry.map((l) => `${l}\n`).join(''))
      ).toString('base64'),
    })),
  };
}

/** The JSON lines a transformed record delivers. */
export const deliveredLines = (data: string) =>
  Buffer.from(data, 'base64')
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** nginx's `$time_local` for `ms`, in UTC. */
export function nginxTime(ms: number): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** nginx's documented `combined` layout for an OCSP GET of `der`, at `ms`. */
export function nginxOcspGet(der: Buffer, ms: number, ip = '198.51.100.23'): string {
  const path = encodeURIComponent(der.toString('base64'));
  return `${ip} - - [${nginxTime(ms)}] "GET /${path} HTTP/1.1" 200 503 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"`;
}
