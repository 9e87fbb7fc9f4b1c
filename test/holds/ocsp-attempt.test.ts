import {
  extractFailed,
  extractRunning,
  nextAttempt,
  nextExtractStep,
  waitForQuery,
} from '../../core/holds/ocsp-attempt';
import { extractAttemptPrefix } from '../../core/naming';
import type { QueryState, QueryStatus } from '../../core/query/runner';

const query = {
  queryId: 'q-1',
  attempt: 1,
  prefix: 'cases/C-1/attempt-1-aaaa0001/',
  startedAt: '2026-11-30T10:00:00.000Z',
};

describe('an OCSP apply: what it does next, by case state and query state', () => {
  const states: (QueryState | undefined)[] = [
    undefined,
    'QUEUED',
    'RUNNING',
    'SUCCEEDED',
    'FAILED',
    'CANCELLED',
    'UNKNOWN',
  ];
  it.each(states)('no query recorded yet (%s): start', (state) => {
    expect(nextExtractStep({}, state)).toBe('start');
  });
  it.each(states)('already collected (%s): hold, never a new query', (state) => {
    expect(nextExtractStep({ recordCount: 3, extractQuery: query }, state)).toBe('hold');
    expect(nextExtractStep({ recordCount: 0 }, state)).toBe('hold');
  });
  it.each([
    ['QUEUED', 'wait'],
    ['RUNNING', 'wait'],
    ['SUCCEEDED', 'collect'],
    ['FAILED', 'restart'],
    ['CANCELLED', 'restart'],
    // Athena keeps ids 45 days; an id it no longer knows has files nobody can vouch for.
    ['UNKNOWN', 'restart'],
  ] as const)('query recorded and %s: %s', (state, step) => {
    expect(nextExtractStep({ extractQuery: query }, state)).toBe(step);
  });
});

describe('extract attempts', () => {
  it('each attempt gets the next number and a prefix no earlier attempt used', () => {
    const prefixOf = (n: number, token: string) => extractAttemptPrefix('C-1', n, token);
    const a = nextAttempt(undefined, prefixOf);
    const b = nextAttempt(query, prefixOf);
    const c = nextAttempt(query, prefixOf); // a racing apply of the same attempt
    expect(a.attempt).toBe(1);
    expect(b.attempt).toBe(2);
    expect(b.prefix).toMatch(/^cases\/C-1\/attempt-2-[0-9a-f]{8}\/$/);
    expect(c.prefix).not.toBe(b.prefix);
    expect(b.prefix.startsWith(query.prefix)).toBe(false);
  });

  it('says which query runs, its state, for how long, and that rerunning is safe', () => {
    const answer = extractRunning('C-1', query, 'RUNNING', new Date('2026-11-30T10:21:07Z'));
    expect(answer).toMatchObject({ result: 'in-progress', retryAfterSeconds: 30 });
    expect(answer.message).toMatch(/query q-1 \(attempt 1\) is RUNNING, 21m 07s since it started/);
    expect(answer.message).toMatch(/Rerunning the same apply is safe/);
  });

  it('reports a failed attempt with its reason, and how to start the next', () => {
    const answer = extractFailed('C-1', query, { state: 'FAILED', reason: 'Query timeout' });
    expect(answer.result).toBe('incomplete');
    expect(answer.failures).toEqual([
      { key: query.prefix, error: 'query q-1 FAILED: Query timeout' },
    ]);
    expect(answer.message).toMatch(/rerun the same apply to start a new attempt/);
  });
});

describe('waitForQuery', () => {
  const sequence = (...states: QueryState[]) => {
    let i = 0;
    return async (): Promise<QueryStatus> => ({ state: states[Math.min(i++, states.length - 1)] });
  };
  it('polls until the query ends', async () => {
    const status = sequence('QUEUED', 'RUNNING', 'SUCCEEDED');
    expect(await waitForQuery(status, Date.now() + 10_000, 1)).toEqual({ state: 'SUCCEEDED' });
  });
  it('returns the running state rather than wait past its limit', async () => {
    const status = sequence('RUNNING');
    const begun = Date.now();
    expect(await waitForQuery(status, begun + 30, 10)).toEqual({ state: 'RUNNING' });
    expect(Date.now() - begun).toBeLessThan(1_000);
  });
});
