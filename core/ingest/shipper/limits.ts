/**
 * Firehose DirectPut limits (Amazon Data Firehose quotas) and billing unit.
 * Every number the shipper packs against lives here.
 */
export const FIREHOSE = {
  /** Largest record, before base64: 1,000 KiB. */
  maxRecordBytes: 1000 * 1024,
  /** Most records in one PutRecordBatch call. */
  maxBatchRecords: 500,
  /** Most data in one PutRecordBatch call: 4 MiB. */
  maxBatchBytes: 4 * 1024 * 1024,
  /** Ingestion is billed per record rounded up to the next 5 KB. */
  billingUnitBytes: 5 * 1024,
} as const;

/** Bytes Firehose bills for one record of `bytes` bytes. */
export function billedBytes(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / FIREHOSE.billingUnitBytes)) * FIREHOSE.billingUnitBytes;
}

/** The largest input line read into memory; longer ones are rejected unread. */
export const MAX_INPUT_LINE_BYTES = 8 * 1024 * 1024;
