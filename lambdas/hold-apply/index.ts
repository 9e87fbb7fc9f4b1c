import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';
import { applyEventSchema, parseOrReject } from '../../core/holds/case';
import { holdDepsFromEnv } from '../../core/holds/deps-from-env';
import { answer, boundedOutcome, logOutcome, rawCaseId } from '../../core/holds/response';
import { applyHold } from '../../core/holds/service';
import { queryRunnerFromEnv } from '../../core/query/from-env';

/** Lambda margin kept for writing the outcome after the last object. */
const SAFETY_MS = 60_000;

/**
 * Applies a legal-hold case. Stops starting new objects a minute before the
 * timeout and answers `in-progress`; invoking it again with the same case
 * continues where it stopped.
 */
export const handler = async (event: unknown, context: Context) => {
  logger.setCorrelationId(rawCaseId(event));
  const response = await answer(async () => {
    const request = parseOrReject(applyEventSchema, event);
    const deps = holdDepsFromEnv(() => queryRunnerFromEnv());
    return boundedOutcome(
      await applyHold(
        { ...deps, deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS },
        request,
      ),
    );
  });
  logOutcome('hold apply', response);
  return response;
};
