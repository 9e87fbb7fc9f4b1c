/**
 * Firehose DirectPut limits (Amazon Data Firehose quotas) and billing unit.
 * Every number the shipper packs against lives here.
 */
export const FIREHOSE = {
  /** Largest record, before base64: 1,000 KiB. */
  maxRecordBytes: 1000 * 1024,
  /** Most records in one PutRecordBatch call. */
  maxBatchRecords: 500,
  /**
   * Most data packed into one PutRecordBatch call. The quota says "4 MB for the
   * entire request" without saying whether before or after base64, nor MB or
   * MiB: 2,950,000 bytes is 3,933,336 once base64-encoded, and with the JSON
   * framing of even 500 records the request stays under 4,000,000 bytes, so
   * it is safe under every reading (BATCH_WIRE_BYTES).
   */
  maxBatchBytes: 2_950_000,
  /** Ingestion is billed per record rounded up to the next 5 KB. */
  billingUnitBytes: 5 * 1024,
} as const;

/** Framing one record adds to a request on the wire, generously: `{"Data":""},` is 12 bytes. */
const RECORD_FRAMING_BYTES = 64;

/** The largest request the shipper can send, counted after base64 with its JSON framing. */
export const BATCH_WIRE_BYTES =
  Math.ceil(FIREHOSE.maxBatchBytes / 3) * 4 +
  FIREHOSE.maxBatchRecords * RECORD_FRAMING_BYTES +
  1024;

/** Bytes Firehose bills for one record of `bytes` bytes. */
export function billedBytes(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / FIREHOSE.billingUnitBytes)) * FIREHOSE.billingUnitBytes;
}

/** The largest input line read into memory; longer ones are rejected unread. */
export const MAX_INPUT_LINE_BYTES = 8 * 1024 * 1024;
