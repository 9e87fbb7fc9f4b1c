import { randomBytes } from 'node:crypto';
import type { CaseRecord, ExtractQueryRef } from './case';
import type { HoldOutcome } from './deps';
import { queryEnded, type QueryState, type QueryStatus } from '../query/runner';

/**
 * An OCSP extract's CTAS runs on Athena, not in the function: Athena allows a
 * DML query 30 minutes, the hold-apply function lives 15. So apply starts the
 * query and records it on the case (start), and a rerun reads its state:
 * still running (wait), ended well (collect: count it, drop its table, then
 * hold its files), or ended badly (restart: stop it, delete its files, start a
 * new attempt under a new prefix). docs/holds.md, "OCSP extracts".
 */
export type ExtractStep = 'start' | 'wait' | 'collect' | 'restart' | 'hold';

/** What an apply does next, from the case and the state of the query it recorded. */
export function nextExtractStep(
  record: Pick<CaseRecord, 'recordCount' | 'extractQuery'>,
  state: QueryState | undefined,
): ExtractStep {
  if (record.recordCount !== undefined) return 'hold';
  if (!record.extractQuery) return 'start';
  if (state === 'QUEUED' || state === 'RUNNING') return 'wait';
  if (state === 'SUCCEEDED') return 'collect';
  // FAILED, CANCELLED, or an id the engine no longer knows: its files cannot be trusted.
  return 'restart';
}

/** The attempt after `previous`, writing under a prefix no earlier writer knows. */
export function nextAttempt(
  previous: ExtractQueryRef | undefined,
  prefixOf: (attempt: number, token: string) => string,
): { attempt: number; prefix: string } {
  const attempt = (previous?.attempt ?? 0) + 1;
  return { attempt, prefix: prefixOf(attempt, randomBytes(4).toString('hex')) };
}

/** How long one apply invocation waits for a query before answering in-progress. */
export const EXTRACT_INLINE_WAIT_MS = 60_000;

/**
 * Polls `status` until the query ends or waiting longer would pass `limit`
 * (epoch ms); the last status read.
 */
export async function waitForQuery(
  status: () => Promise<QueryStatus>,
  limit: number,
  firstDelayMs = 500,
): Promise<QueryStatus> {
  let delay = firstDelayMs;
  for (;;) {
    const current = await status();
    if (queryEnded(current.state) || Date.now() + delay > limit) return current;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5_000);
  }
}

const minutesAndSeconds = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
};

/** The answer while the case's query runs: which query, its state, how long, and that a rerun is safe. */
export function extractRunning(
  caseId: string,
  query: ExtractQueryRef,
  state: QueryState,
  now: Date,
): HoldOutcome {
  const elapsed = minutesAndSeconds(now.getTime() - Date.parse(query.startedAt));
  return extractPending(
    caseId,
    `OCSP extract query ${query.queryId} (attempt ${query.attempt}) is ${state}, ` +
      `${elapsed} since it started; Athena runs it on its own (up to its 30-minute DML limit). ` +
      'Rerunning the same apply is safe: it starts no second query, and holds the extract once the query has succeeded',
    30,
  );
}

/** An apply that has held nothing yet because an extract query is still to finish; rerun after the given seconds. */
export function extractPending(
  caseId: string,
  message: string,
  retryAfterSeconds: number,
): HoldOutcome {
  return {
    caseId,
    result: 'in-progress',
    objectCount: 0,
    bytes: 0,
    processed: 0,
    failures: [],
    message,
    retryAfterSeconds,
  };
}

/** The answer when the query this invocation started ended without succeeding. */
export function extractFailed(
  caseId: string,
  query: ExtractQueryRef,
  status: QueryStatus,
): HoldOutcome {
  const error = `query ${query.queryId} ${status.state}: ${status.reason ?? 'no reason given'}`;
  return {
    caseId,
    result: 'incomplete',
    objectCount: 0,
    bytes: 0,
    processed: 0,
    failures: [{ key: query.prefix, error }],
    message: `OCSP extract attempt ${query.attempt} ended ${status.state}; rerun the same apply to start a new attempt (its files are deleted first)`,
  };
}
