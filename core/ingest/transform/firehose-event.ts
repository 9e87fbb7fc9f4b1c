import { z } from 'zod';

/**
 * The event Amazon Data Firehose sends a data-transformation function for a
 * Direct PUT stream, and the answer it expects ("Transform source data in
 * Amazon Data Firehose", "Required parameters for data transformation").
 * Record data is base64; a record whose data does not decode is answered
 * ProcessingFailed on its own, so one malformed record never fails the batch.
 */
export const firehoseTransformationEvent = z.object({
  invocationId: z.string().min(1),
  deliveryStreamArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]+$/,
      'must be a Firehose delivery stream ARN',
    ),
  region: z.string().min(1),
  records: z.array(
    z.object({
      recordId: z.string().min(1),
      /** When Firehose received the record, ms since the epoch: ingestion time. */
      approximateArrivalTimestamp: z.number().int().nonnegative(),
      data: z.string(),
    }),
  ),
});
export type FirehoseTransformationEvent = z.infer<typeof firehoseTransformationEvent>;
export type FirehoseEventRecord = FirehoseTransformationEvent['records'][number];

/** Ok: delivered; Dropped: intentionally not delivered; ProcessingFailed: to the error prefix. */
export type TransformationResult = 'Ok' | 'Dropped' | 'ProcessingFailed';

export interface TransformedRecord {
  readonly recordId: string;
  readonly result: TransformationResult;
  /** Base64 of what is delivered; required for every record, empty when nothing is. */
  readonly data: string;
}

export interface FirehoseTransformationResponse {
  readonly records: readonly TransformedRecord[];
}

/**
 * Lambda's synchronous response limit is 6 MB; this is 6,000,000 bytes of
 * JSON, below both readings of "MB", with room for the envelope.
 */
export const MAX_RESPONSE_BYTES = 6_000_000;

/** The stream's name from its ARN (`…:deliverystream/<name>`). */
export const streamNameOfArn = (arn: string) => arn.slice(arn.indexOf('/') + 1);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The record's bytes, or undefined when its data is not base64. */
export function recordBytes(record: FirehoseEventRecord): Buffer | undefined {
  if (record.data.length % 4 !== 0 || !BASE64.test(record.data)) return undefined;
  return Buffer.from(record.data, 'base64');
}
