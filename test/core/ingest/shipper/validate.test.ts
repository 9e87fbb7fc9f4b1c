import { validateLine } from '../../../../core/ingest/shipper';
import { ocspTraffic } from '../../../../core/traffic';

const good = ocspTraffic({
  seed: 1,
  start: new Date('2026-11-27T00:00:00Z'),
  end: new Date('2026-11-28T00:00:00Z'),
  lines: 1,
}).next().value!;
/** Ingested during the traffic's day, inside the plausibility window. */
const context = { source: 'test', now: Date.parse('2026-11-28T00:00:00Z') };
const check = (text: string | Buffer, max = 1_024_000) =>
  validateLine('ocsp', { lineNo: 7, bytes: Buffer.from(text) }, max, context);
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
        reason:
          'line is 9000000 bytes, more than the 8388608-byte (8 MiB) limit of one input line; ' +
          'a stored record holds at most 1024000 bytes',
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
      context,
    );
    const stored = JSON.parse((r as { accepted: { text: string } }).accepted.text);
    expect(stored.request_body).toHaveLength(16_384);
    expect(stored.body_truncated).toBe(true);
  });
});

describe('validateLine at ingestion (issue 16)', () => {
  const stored = (r: ReturnType<typeof check>) =>
    JSON.parse((r as { accepted: { text: string } }).accepted.text);
  const line = JSON.stringify(good);
  const at = (lineNo: number, source = 'file:1:2:/var/log/ocsp.ndjson', text = line) =>
    validateLine('ocsp', { lineNo, bytes: Buffer.from(text) }, 1_024_000, { ...context, source });

  it('gives each line a line_id from source, line number and bytes, the same when shipped again', () => {
    const first = stored(at(7)).line_id;
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(stored(at(7)).line_id).toBe(first);
    // the same bytes elsewhere are another line: counted separately
    expect(stored(at(8)).line_id).not.toBe(first);
    expect(stored(at(7, 'file:1:3:/var/log/other.ndjson')).line_id).not.toBe(first);
    expect(stored(at(7, undefined, JSON.stringify({ ...good, serial: 'ab' }))).line_id).not.toBe(
      first,
    );
  });

  it('keeps the line_id of a stored line shipped again (a dead-letter file re-shipped)', () => {
    const again = at(99, 'run:other', stored(at(7)) && JSON.stringify(stored(at(7))));
    expect(stored(again).line_id).toBe(stored(at(7)).line_id);
  });

  it('stores the canonical IP whatever the spelling', () => {
    for (const spelling of ['2A06:B318:1215:718:6EA::51F', '2a06:b318:1215:0718:06ea:0:0:051f'])
      expect(stored(check(JSON.stringify({ ...good, client_ip: spelling }))).client_ip).toBe(
        '2a06:b318:1215:718:6ea::51f',
      );
    expect(
      stored(check(JSON.stringify({ ...good, client_ip: '::ffff:192.0.2.7' }))).client_ip,
    ).toBe('192.0.2.7');
    expect(reason(JSON.stringify({ ...good, client_ip: 'fe80::1%eth0' }))).toMatch(/^client_ip: /);
  });

  it('refuses a family outside the closed vocabulary (free text smuggled as a family)', () => {
    const smuggled = 'Mozilla/5.0 (Windows NT 10.0; Win64) alice@example.com';
    expect(reason(JSON.stringify({ ...good, browser_family: smuggled }))).toMatch(
      /^browser_family: /,
    );
    expect(reason(JSON.stringify({ ...good, os_family: 'alice' }))).toMatch(/^os_family: /);
  });

  it('rejects OCSP records outside the plausibility window, naming the limit', () => {
    const ts = (iso: string) => JSON.stringify({ ...good, ts: iso });
    expect(reason(ts('2026-11-26T23:00:00.000Z'))).toMatch(
      /^ts 2026-11-26T23:00:00.000Z is 25 hours before ingestion: ocsp records are accepted up to 24 hours old/,
    );
    expect(reason(ts('1970-01-01T00:00:00.000Z'))).toMatch(/before ingestion/);
    expect(reason(ts('2026-11-28T01:00:00.000Z'))).toMatch(
      /is 60 minutes after ingestion: the source's clock is ahead; at most 5 minutes/,
    );
    expect(check(ts('2026-11-28T00:04:00.000Z'))).toHaveProperty('accepted');
  });

  it('keeps an implausible ACME event whole in the reject output, so it is not lost', () => {
    const event = {
      ts: '2099-01-01T00:00:00.000Z',
      account_id: '1',
      source_ip: '192.0.2.1',
      endpoint: 'new-order',
      method: 'POST',
      status: 201,
      order_id: null,
      authz_id: null,
      challenge_id: null,
      identifiers: ['example.org', '2001:DB8::1'],
      resolved_ips: [],
      validation_method: null,
      validation_target: null,
      validation_result: null,
      user_agent: 'certbot',
      request_body: 'x'.repeat(5_000),
      response_body: null,
    };
    const acme = (e: object) =>
      validateLine(
        'acme',
        { lineNo: 1, bytes: Buffer.from(JSON.stringify(e)) },
        1_024_000,
        context,
      );
    const late = acme(event);
    expect(late).toMatchObject({ rejected: { reason: expect.stringMatching(/after ingestion/) } });
    expect((late as { rejected: { input: string } }).rejected.input).toBe(JSON.stringify(event));
    // 300 days of backfill is plausible for ACME, and an IP identifier is stored canonical
    const backfill = acme({ ...event, ts: '2026-02-01T00:00:00.000Z' });
    expect(stored(backfill).identifiers).toEqual(['example.org', '2001:db8::1']);
  });
});
