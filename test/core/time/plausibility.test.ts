import { implausibleTimestamp, PLAUSIBLE_WINDOWS } from '../../../core/time/plausibility';

const now = Date.parse('2026-11-28T12:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();

describe('plausibility window', () => {
  it.each(['ocsp', 'acme'] as const)('accepts %s records at both edges of the window', (type) => {
    const { maxAgeMs, maxAheadMs } = PLAUSIBLE_WINDOWS[type];
    expect(implausibleTimestamp(type, at(now - maxAgeMs), now)).toBeUndefined();
    expect(implausibleTimestamp(type, at(now + maxAheadMs), now)).toBeUndefined();
    expect(implausibleTimestamp(type, at(now - maxAgeMs - 1), now)).toMatch(/before ingestion/);
    expect(implausibleTimestamp(type, at(now + maxAheadMs + 1), now)).toMatch(/after ingestion/);
  });

  it('keeps OCSP records young enough for the seven-day promise (5 days raw + 1 rounding + 1)', () => {
    expect(PLAUSIBLE_WINDOWS.ocsp.maxAgeMs).toBeLessThanOrEqual((7 - 5 - 1) * 86_400_000);
  });

  it('names 1970, 2099 and tomorrow as implausible, in readable units', () => {
    expect(implausibleTimestamp('acme', '1970-01-01T00:00:00Z', now)).toMatch(
      /^ts 1970-01-01T00:00:00Z is 20786 days before ingestion: acme records are accepted up to 400 days old/,
    );
    expect(implausibleTimestamp('ocsp', '2026-11-29T12:00:00Z', now)).toMatch(
      /is 24 hours after ingestion: the source's clock is ahead; at most 5 minutes is accepted/,
    );
    expect(implausibleTimestamp('ocsp', '2099-01-01T00:00:00Z', now)).toMatch(/days after/);
  });
});
