import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';
import { parseOrReject, releaseEventSchema } from '../../core/holds/case';
import { holdDepsFromEnv } from '../../core/holds/deps-from-env';
import { answer, boundedOutcome, logOutcome, rawCaseId } from '../../core/holds/response';
import { releaseHold } from '../../core/holds/service';

/** Lambda margin kept for writing the outcome after the last object. */
const SAFETY_MS = 60_000;

/** Releases a legal-hold case: lifts holds no other case needs, or deletes the OCSP extract. */
export const handler = async (event: unknown, context: Context) => {
  logger.setCorrelationId(rawCaseId(event));
  const response = await answer(async () => {
    const request = parseOrReject(releaseEventSchema, event);
    const deps = holdDepsFromEnv(() => {
      throw new Error('release runs no SQL');
    });
    return boundedOutcome(
      await releaseHold(
        { ...deps, deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS },
        request,
      ),
    );
  });
  logOutcome('hold release', response);
  return response;
};
