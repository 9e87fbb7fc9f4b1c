import type { BucketPurpose } from './buckets';
import { prefixes } from './prefixes';

/**
 * Where each log type's delivery streams land (lib/ingestion): the bucket,
 * the data prefix and the prefix of records Firehose could not deliver or
 * transform. The bucket is the log type's retention class, so a stream is
 * judged by this, not by its name (core/ingest/stream-destination.ts).
 */
export const deliveryDestinations = {
  ocsp: { bucket: 'ocsp-raw', prefix: prefixes.ocsp, errorPrefix: prefixes.ocspErrors },
  acme: { bucket: 'subscriber-landing', prefix: prefixes.acme, errorPrefix: prefixes.acmeErrors },
} as const satisfies Record<string, { bucket: BucketPurpose; prefix: string; errorPrefix: string }>;
export type DeliveredLogType = keyof typeof deliveryDestinations;
