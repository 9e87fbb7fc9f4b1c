import { environmentOf } from '../runtime/environment';
import { logger } from '../runtime/logger';
import {
  firehoseTransformationEvent,
  MAX_RESPONSE_BYTES,
  type FirehoseTransformationResponse,
} from '../../core/ingest/transform/firehose-event';
import { transformEvent } from '../../core/ingest/transform/transform-event';

/**
 * Firehose data transformation: parses each record's lines with the stream's
 * source format into stored records (core/ingest/transform). A malformed
 * event throws, so Firehose retries it and then writes it to the error
 * prefix; per-record failures are answered ProcessingFailed. Logs counts
 * only, never record contents.
 */
export const handler = async (event: unknown): Promise<FirehoseTransformationResponse> => {
  const env = environmentOf('ingest-transform');
  const parsed = firehoseTransformationEvent.parse(event);
  logger.setCorrelationId(parsed.invocationId);
  // Only the stage's own streams: another stream may deliver into any bucket.
  const { response, summary } = transformEvent(
    parsed,
    env.TRANSFORMATIONS,
    MAX_RESPONSE_BYTES,
    env.LOGVAULT_STAGE,
  );
  logger.info('transformed', { ...summary });
  return response;
};
