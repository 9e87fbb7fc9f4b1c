import { timeStampRequest } from './tsp-request';
import { parseTimeStampResponse } from './tsp-response';
import { TsaTrust } from './tsa-trust';
import { verifyTimeStampToken } from './verify-token';

export interface TimestampOptions {
  /** The TSA's RFC 3161 HTTP endpoint. */
  readonly url: string;
  /** Pinned TSA roots: a token that does not verify is never returned. */
  readonly trust: TsaTrust;
  /**
   * How long to wait for the TSA.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Clock, for tests.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

export interface Timestamp {
  /** The DER TimeStampToken, exactly as the TSA signed it. */
  readonly token: Uint8Array;
  readonly genTime: Date;
  /** Name of the pinned TSA whose root the token chains to. */
  readonly tsa: string;
}

/** The TSA could not be asked, refused, or answered with a token that does not verify. */
export class TimestampError extends Error {}

/** How far the TSA's genTime may lie outside our request/response window. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Asks a TSA to timestamp a SHA-256 hash and checks the answer as RFC 3161
 * §2.4.2 asks of a requester: status, the token's signature and chain, the
 * imprint, our nonce (no replayed answer) and a genTime inside the window in
 * which we asked (no stale token).
 */
export async function requestTimestamp(
  sha256: Uint8Array,
  options: TimestampOptions,
): Promise<Timestamp> {
  const now = options.now ?? (() => new Date());
  const request = timeStampRequest(sha256);
  const sentAt = now();
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query' },
      body: request.der,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new TimestampError(`${options.url} unreachable: ${(error as Error).message}`);
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.startsWith('application/timestamp-reply'))
    throw new TimestampError(
      `${options.url} answered HTTP ${response.status} ${type}: ${Buffer.from(body).toString('utf8', 0, 200)}`,
    );
  const receivedAt = now();
  const parsed = parseTimeStampResponse(body);
  if (!parsed.granted) throw new TimestampError(`${options.url}: ${parsed.detail}`);
  const verdict = await verifyTimeStampToken(
    parsed.token,
    { sha256, nonce: request.nonce },
    options.trust,
    receivedAt,
  );
  if (!verdict.ok)
    throw new TimestampError(`${options.url}: token ${verdict.reason}: ${verdict.detail}`);
  const at = verdict.genTime.getTime();
  if (at < sentAt.getTime() - CLOCK_SKEW_MS || at > receivedAt.getTime() + CLOCK_SKEW_MS)
    throw new TimestampError(
      `${options.url}: genTime ${verdict.genTime.toISOString()} is outside the request window ` +
        `${sentAt.toISOString()}..${receivedAt.toISOString()}`,
    );
  return { token: parsed.token, genTime: verdict.genTime, tsa: verdict.tsa };
}
