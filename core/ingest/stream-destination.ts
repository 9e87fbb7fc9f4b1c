import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeliveryStreamDescription,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
} from '@aws-sdk/client-firehose';
import { deliveryDestinations, parseBucketName } from '../naming';
import { LogType, logTypeNames } from './schemas';
import { backoffMs, classifyFailure, defaultRetryPolicy } from './shipper/retry';

/** Where a stream delivers, as DescribeDeliveryStream tells it. */
export interface StreamDestination {
  /** `s3` for an (extended) S3 destination, else the kind of destination, e.g. `http-endpoint`. */
  readonly kind: string;
  readonly bucketArn?: string;
  readonly prefix?: string;
  readonly errorPrefix?: string;
}

/** The destination of a described stream (a stream has exactly one). */
export function destinationOf(description: DeliveryStreamDescription): StreamDestination {
  const [destination] = description.Destinations ?? [];
  const s3 = destination?.ExtendedS3DestinationDescription ?? destination?.S3DestinationDescription;
  if (s3 !== undefined)
    return {
      kind: 's3',
      bucketArn: s3.BucketARN,
      prefix: s3.Prefix ?? '',
      errorPrefix: s3.ErrorOutputPrefix ?? '',
    };
  const other = Object.keys(destination ?? {}).find((key) =>
    key.endsWith('DestinationDescription'),
  );
  return { kind: other?.replace(/DestinationDescription$/, '') ?? 'none' };
}

const fix = (type: LogType) =>
  `send ${type} records to a stream that delivers into the stage's ` +
  `${deliveryDestinations[type].bucket} bucket under ${deliveryDestinations[type].prefix} ` +
  `(errors under ${deliveryDestinations[type].errorPrefix}), e.g. --stage ` +
  `(docs/ingestion.md, "Which stream takes which records")`;

/**
 * Why records of `recordType` must not go to `stream`, judged by where it
 * delivers (its bucket is the retention class; its name proves nothing), or
 * undefined when it delivers where logvault puts that type. The bucket must
 * be a logvault bucket of the type (core/naming), of `stage` when given, and
 * both prefixes exactly the type's.
 */
export function destinationMisfit(
  recordType: LogType,
  stream: string,
  destination: StreamDestination,
  stage?: string,
): string | undefined {
  const refused = (why: string) =>
    `${recordType} record refused for stream ${stream}: ${why}; ${fix(recordType)}`;
  if (destination.kind !== 's3')
    return refused(`it delivers to a ${destination.kind} destination, not a logvault bucket`);
  const bucket = /^arn:[a-z-]+:s3:::(.+)$/.exec(destination.bucketArn ?? '')?.[1] ?? '';
  const named = parseBucketName(bucket);
  if (named === undefined)
    return refused(
      `it delivers into bucket ${bucket || '(none)'}, which logvault did not name ` +
        `(logvault-<stage>-<account>-<region>-<purpose>)`,
    );
  const bucketType = logTypeNames.find((t) => deliveryDestinations[t].bucket === named.purpose);
  if (bucketType !== recordType)
    return refused(
      `it delivers into bucket ${bucket}, which holds ` +
        `${bucketType === undefined ? named.purpose : `${bucketType} records`} (another retention class)`,
    );
  if (stage !== undefined && named.stage !== stage)
    return refused(`it delivers into bucket ${bucket} of stage ${named.stage}, not ${stage}`);
  const want = deliveryDestinations[recordType];
  if (destination.prefix !== want.prefix || destination.errorPrefix !== want.errorPrefix)
    return refused(
      `it delivers under prefix "${destination.prefix}" with errors under ` +
        `"${destination.errorPrefix}" of ${bucket}, not "${want.prefix}" and "${want.errorPrefix}"`,
    );
  return undefined;
}

/** Why a stream's destination check stopped a run: a misfit, a denied call, or another failure. */
export class StreamDestinationError extends Error {
  constructor(
    readonly kind: 'misfit' | 'denied' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'StreamDestinationError';
  }
}

/** DescribeDeliveryStream allows few calls per second: a short backoff, then give up. */
const DESCRIBE_RETRY = { ...defaultRetryPolicy, maxAttempts: 5 };

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/** DescribeDeliveryStream with retries on throttling and transient failures; undefined if no such stream. */
async function describe(client: FirehoseClient, stream: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await client.send(
        new DescribeDeliveryStreamCommand({ DeliveryStreamName: stream }),
      );
      return out.DeliveryStreamDescription;
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      if (e.name === 'ResourceNotFoundException') return undefined;
      if (DENIED.has(e.name) || e.$metadata?.httpStatusCode === 403)
        throw new StreamDestinationError(
          'denied',
          `stream ${stream}: DescribeDeliveryStream was denied (${e.name}: ${e.message}); ` +
            `the producer's role needs firehose:DescribeDeliveryStream on the stream ` +
            `(arn:aws:firehose:<region>:<account>:deliverystream/${stream}) as well as ` +
            `firehose:PutRecordBatch: attach the stage's producer policy ` +
            `(docs/ingestion.md, "Producer permissions")`,
        );
      if (classifyFailure(error) === 'permanent' || attempt >= DESCRIBE_RETRY.maxAttempts)
        throw new StreamDestinationError(
          'failed',
          `stream ${stream}: DescribeDeliveryStream failed (${e.name}: ${e.message})`,
        );
      await sleep(backoffMs(DESCRIBE_RETRY, attempt));
    }
  }
}

/**
 * Checks every stream of a run by where it delivers, before anything is
 * sent; throws a StreamDestinationError naming stream, bucket and fix. A
 * stream that does not exist passes: it can deliver nowhere, so its sends
 * fail and the lines are dead-lettered, re-shippable, as before.
 */
export async function checkStreamDestinations(
  client: FirehoseClient,
  recordType: LogType,
  streams: readonly string[],
  stage?: string,
): Promise<void> {
  for (const stream of new Set(streams)) {
    const description = await describe(client, stream);
    if (description === undefined) continue;
    const misfit = destinationMisfit(recordType, stream, destinationOf(description), stage);
    if (misfit !== undefined) throw new StreamDestinationError('misfit', misfit);
  }
}
