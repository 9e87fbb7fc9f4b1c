/**
 * The shipper library: validate NDJSON log lines, pack them into Firehose
 * records, send them without loss. Used by `logvault ship` and usable from
 * any Node service or Lambda.
 */
export { splitLines } from './lines';
export type { InputLine } from './lines';
export { runSource, validateLine } from './validate';
export { validateParsedLine } from './validate-parsed';
export type { AcceptedLine, LineContext, RejectedLine } from './validate';
export { Packer, defaultLimits } from './packer';
export type { PackedRecord, PackerLimits } from './packer';
export { BATCH_WIRE_BYTES, FIREHOSE, billedBytes } from './limits';
export { backoffMs, classifyFailure, defaultRetryPolicy } from './retry';
export type { FailureKind, RetryPolicy } from './retry';
export { MAX_INPUT_LINE_BYTES, Shipper } from './shipper';
export { isExpiredProducerFile, PRODUCER_FILE_SUFFIXES, rejectEntry } from './producer-files';
export type { ShipperOptions, ShipperSinks, ShipperStats } from './shipper';
