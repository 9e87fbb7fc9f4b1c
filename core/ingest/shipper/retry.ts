/** Backoff settings for failed sends. */
export interface RetryPolicy {
  /** Sends of one record before it is dead-lettered. @default 10 */
  readonly maxAttempts: number;
  /** First backoff ceiling, ms; doubles per attempt. @default 100 */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling, ms. @default 10000 */
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
};

/**
 * "Full jitter" backoff: a uniform delay in [0, min(max, base·2^(attempt-1))],
 * so shippers throttled together do not retry together.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** How a failed PutRecordBatch call is handled. */
export type FailureKind =
  /** Throttled or the service is busy: retry after backoff. */
  | 'throttled'
  /** Server error or network failure: retry; the data may have arrived (possible duplicates). */
  | 'transient'
  /** The request can never succeed (no such stream, access denied, bad request): dead-letter. */
  | 'permanent';

const THROTTLING = new Set([
  'ServiceUnavailableException',
  'ThrottlingException',
  'LimitExceededException',
  'Throttling',
  'SlowDown',
  'RequestLimitExceeded',
]);

const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
]);

/** Classifies an error thrown by a PutRecordBatch call. */
export function classifyFailure(error: unknown): FailureKind {
  const e = error as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
    $response?: unknown;
  };
  if (THROTTLING.has(e.name ?? '')) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'transient';
  if (NETWORK.has(e.code ?? '') || NETWORK.has(e.name ?? '')) return 'transient';
  // No HTTP status at all: the connection failed before a response arrived.
  if (status === undefined && e.$fault !== 'client') return 'transient';
  return 'permanent';
}
