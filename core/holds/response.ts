import { RejectedRequest } from './case';
import type { HoldOutcome } from './deps';

/**
 * What every hold function returns. A rejected request is an answer, not a
 * failure (nothing was changed); unexpected errors are thrown and surface as
 * the invocation's FunctionError.
 */
export type HoldResponse<T> = { ok: true; result: T } | { ok: false; rejected: string };

export async function answer<T>(work: () => Promise<T>): Promise<HoldResponse<T>> {
  try {
    return { ok: true, result: await work() };
  } catch (error) {
    if (error instanceof RejectedRequest) return { ok: false, rejected: error.message };
    throw error;
  }
}

/** The case id of a raw event, if it has a well-formed one, for the log's correlation id. */
export function rawCaseId(event: unknown): string | undefined {
  const e = event as { caseId?: unknown; case?: { caseId?: unknown } } | null;
  const id = e?.caseId ?? e?.case?.caseId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{3,64}$/.test(id) ? id : undefined;
}

/** Failures listed in one response; a Lambda response is capped at 6 MB. */
export const MAX_LISTED_FAILURES = 100;

/** The outcome with at most MAX_LISTED_FAILURES failures listed and the total in `failureCount`. */
export function boundedOutcome(outcome: HoldOutcome): HoldOutcome {
  if (outcome.failures.length <= MAX_LISTED_FAILURES) return outcome;
  return {
    ...outcome,
    failures: outcome.failures.slice(0, MAX_LISTED_FAILURES),
    failureCount: outcome.failures.length,
  };
}
