import type { Context } from 'aws-lambda';
import type { HoldDeps, HoldOutcome } from '../../core/holds/deps';
import { holdDepsFrom } from '../../core/holds/deps-from-env';
import { HoldResponse, answer, boundedOutcome, rawCaseId } from '../../core/holds/response';
import { MINUTE_MS } from '../../core/time/units';
import { environmentOf } from './environment';
import { logger } from './logger';

/** Lambda margin kept for writing the outcome after the last object. */
const SAFETY_MS = MINUTE_MS;

/**
 * The edge of `hold-apply` and `hold-release`: the case id as correlation id,
 * the deps from the function's contract with a deadline a minute before the
 * timeout (the rest is left for a rerun), a rejected request as an answer,
 * and one log line with the outcome's counts, never records or keys.
 */
export async function holdInvocation(
  action: 'apply' | 'release',
  event: unknown,
  context: Context,
  work: (deps: HoldDeps) => Promise<HoldOutcome>,
): Promise<HoldResponse<HoldOutcome>> {
  logger.setCorrelationId(rawCaseId(event));
  const response = await answer(async () => {
    const deps = holdDepsFrom(environmentOf(`hold-${action}`));
    const deadline = Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS;
    return boundedOutcome(await work({ ...deps, deadline }));
  });
  logger.info(`hold ${action}`, {
    ok: response.ok,
    ...(response.ok
      ? {
          result: response.result.result,
          processed: response.result.processed,
          failures: response.result.failureCount ?? response.result.failures.length,
        }
      : { rejected: response.rejected }),
  });
  return response;
}
