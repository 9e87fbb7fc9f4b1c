import { validateLine } from '../../../../core/ingest/shipper';
import { ocspTraffic } from '../../../../core/traffic';

const good = ocspTraffic({
  seed: 1,
  start: new Date('2026-11-27T00:00:00Z'),
  end: new Date('2026-11-28T00:00:00Z'),
  lines: 1,
}).next().value!;
const check = (text: string | Buffer, max = 1_024_000) =>
  validateLine('ocsp', { lineNo: 7, bytes: Buffer.from(text) }, max);
const reason = (text: string | Buffer) => {
  const r = check(text);
  if (!r || !('rejected' in r)) throw new Error(`accepted: ${text}`);
  expect(r.rejected.lineNo).toBe(7);
  return r.rejected.reason;
};

describe('validateLine', () => {
  it('stores browser and OS families, never the raw user agent, newline-terminated', () => {
    const r = check(
      JSON.stringify({
        ...good,
        user_agent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
      }),
    );
    expect(r && 'accepted' in r).toBe(true);
    const text = (r as { accepted: { text: string } }).accepted.text;
    expect(text.endsWith('}\n')).toBe(true);
    const stored = JSON.parse(text);
    expect(stored).toMatchObject({ browser_family: 'Firefox', os_family: 'Windows' });
    expect(stored).not.toHaveProperty('user_agent');
  });

  it('skips blank lines without rejecting them', () => {
    expect(check('')).toBeUndefined();
    expect(check('   ')).toBeUndefined();
  });

  it('rejects a truncated line as not JSON', () => {
    expect(reason(JSON.stringify(good).slice(0, 40))).toMatch(/^not JSON: /);
  });

  it('rejects wrong types, naming each field', () => {
    expect(reason(JSON.stringify({ ...good, latency_ms: 'fast', client_ip: 'localhost' }))).toMatch(
      /client_ip: .*latency_ms: /,
    );
  });

  it('rejects unknown fields and non-objects', () => {
    expect(reason(JSON.stringify({ ...good, cookie: 'x' }))).toMatch(/cookie/);
    expect(reason('[1,2]')).toBe('not a JSON object');
    expect(reason('42')).toBe('not a JSON object');
  });

  it('rejects binary garbage as not UTF-8', () => {
    expect(reason(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b]))).toBe(
      'not valid UTF-8 (binary data?)',
    );
  });

  it('rejects a line over the read limit and a stored record over the record limit', () => {
    const over = validateLine('ocsp', { lineNo: 3, oversizeBytes: 9_000_000 }, 1_024_000);
    expect(over).toEqual({
      rejected: {
        lineNo: 3,
        reason: 'line is 9000000 bytes, more than the 1024000 a record can hold',
        input: '',
      },
    });
    const r = check(JSON.stringify(good), 100);
    expect(r && 'rejected' in r && r.rejected.reason).toMatch(
      /stored record is \d+ bytes, more than the 100/,
    );
  });

  it('caps ACME bodies and records the cut', () => {
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
      request_body: 'x'.repeat(100_000),
      response_body: '{}',
    };
    const r = validateLine(
      'acme',
      { lineNo: 1, bytes: Buffer.from(JSON.stringify(event)) },
      1_024_000,
    );
    const stored = JSON.parse((r as { accepted: { text: string } }).accepted.text);
    expect(stored.request_body).toHaveLength(16_384);
    expect(stored.body_truncated).toBe(true);
  });
});
