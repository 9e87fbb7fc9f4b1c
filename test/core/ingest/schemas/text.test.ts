import { acmeEventInput, ACME_BODY_MAX_CHARS } from '../../../../core/ingest/schemas/acme-event';
import { codePoints, cutCodePoints, hasLoneSurrogate } from '../../../../core/ingest/schemas/text';

const event = {
  ts: '2026-11-27T10:00:00.000Z',
  account_id: '1',
  source_ip: '192.0.2.1',
  endpoint: 'finalize',
  method: 'POST',
  status: 200,
  order_id: null,
  authz_id: null,
  challenge_id: null,
  identifiers: ['example.org'],
  resolved_ips: [],
  validation_method: null,
  validation_target: null,
  validation_result: null,
  user_agent: 'certbot',
  request_body: '',
  response_body: null,
};

describe('ACME bodies cut on code points', () => {
  it('never splits a surrogate pair at the cap', () => {
    // a 4-byte character (2 UTF-16 units) straddles the 16,384th unit
    const body = 'x'.repeat(ACME_BODY_MAX_CHARS - 1) + '😀'.repeat(10);
    const stored = acmeEventInput.parse({ ...event, request_body: body });
    expect(stored.request_body).toBe('x'.repeat(ACME_BODY_MAX_CHARS - 1) + '😀');
    expect(codePoints(stored.request_body!)).toBe(ACME_BODY_MAX_CHARS);
    expect(hasLoneSurrogate(stored.request_body!)).toBe(false);
    expect(stored.body_truncated).toBe(true);
  });

  it('keeps a body of exactly the cap in code points (more UTF-16 units) uncut', () => {
    const body = '😀'.repeat(ACME_BODY_MAX_CHARS);
    const stored = acmeEventInput.parse({ ...event, request_body: body });
    expect(stored.request_body).toBe(body);
    expect(stored.body_truncated).toBe(false);
  });

  it('replaces a lone surrogate (a JSON \\ud800 escape) instead of storing half a character', () => {
    const stored = acmeEventInput.parse({ ...event, request_body: JSON.parse('"a\\ud800b"') });
    expect(stored.request_body).toBe('a\uFFFDb');
  });

  it('cuts plain text by code points', () => {
    expect(cutCodePoints('a😀b😀', 3)).toBe('a😀b');
    expect(cutCodePoints('abc', 5)).toBe('abc');
  });
});
