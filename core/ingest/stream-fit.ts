import { deliveryStreamName, logTypeOfDeliveryStream } from '../naming';
import { LogType, logTypeNames } from './schemas';

/**
 * Which retention class a delivery stream feeds. OCSP records live days and
 * ACME events years: a record sent to the other type's stream would be kept
 * for the wrong time (an OCSP request kept for years is a promise broken), so
 * the type is checked before anything is sent, and again wherever records
 * are received (the transformation function, sealing's validation).
 *
 * The type comes from the stream's name: `logvault-<stage>-<type>-<n>`
 * (core/naming), or, for a stream named outside logvault, the one log type
 * word among its `-`, `_` or `.` separated parts (`edge-ocsp-firehose`).
 * A name with neither, or both words, says nothing. A name proves nothing
 * about where a stream delivers: the shipper judges a stream by its
 * destination (stream-destination.ts) and uses this rule only to refuse,
 * without an AWS call, a name that states the other type
 * (docs/ingestion.md, "Which stream takes which records").
 */
export function logTypeOfStream(stream: string): LogType | undefined {
  const named = logTypeOfDeliveryStream(stream);
  if (named !== undefined) return logTypeNames.find((type) => type === named);
  const words = new Set(stream.toLowerCase().split(/[-_.]/));
  const found = logTypeNames.filter((type) => words.has(type));
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Why a record of `recordType` must not go to `stream`, naming the stream and
 * the fix, or undefined when the stream holds that type.
 */
export function recordMisfitsStream(recordType: LogType, stream: string): string | undefined {
  const streamType = logTypeOfStream(stream);
  if (streamType === recordType) return undefined;
  const example = deliveryStreamName('<stage>', recordType, 1);
  if (streamType === undefined)
    return (
      `stream ${stream}: its name does not say which log type it holds; name it ` +
      `${example}, or with "${recordType}" as one word of its name ` +
      `(docs/ingestion.md, "Which stream takes which records")`
    );
  return (
    `${recordType} record refused for stream ${stream}, which holds ${streamType} records ` +
    `(another retention class): send ${recordType} records to a ${recordType} stream, ` +
    `e.g. ${example}, or use --stage`
  );
}

/** Throws unless `stream` holds records of `recordType`; for callers that stop on it. */
export function assertRecordFitsStream(recordType: LogType, stream: string): void {
  const misfit = recordMisfitsStream(recordType, stream);
  if (misfit !== undefined) throw new Error(misfit);
}
