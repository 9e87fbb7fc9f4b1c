import { createParser, formatNames, formats } from '../../../../core/ingest/formats';
import { createCloudfrontRealtimeParser } from '../../../../core/ingest/formats/cloudfront-realtime';
import { createCloudfrontStandardParser } from '../../../../core/ingest/formats/cloudfront-standard';
import { createCombinedParser } from '../../../../core/ingest/formats/combined-log';
import { ocspRequestFields } from '../../../../core/ingest/schemas/ocsp-request';

/** A real openssl request (SHA-1 CertID, serial a1b2c3) used where the CertID itself is not under test. */
const OCSP =
  'MEUwQzBBMD8wPTAJBgUrDgMCGgUABBTQjOna6GGYfeBIPoh5VRBhZfb31AQUK5cOJpuinrYxDo/gzrbEJ4qS1L4CBAChssM=';

describe('combined log (nginx / Apache)', () => {
  const parser = createCombinedParser({ responderId: 'web-1', region: 'eu-west-1' });
  // nginx's documented combined layout, Apache's identical %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i".
  const line = (status: string, bytes: string, time = '28/Nov/2026:11:00:00 +0100') =>
    `2001:db8::1 - frank [${time}] "GET /${OCSP} HTTP/1.1" ${status} ${bytes} "https://ref.example/" "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"`;

  it('maps a line to the stored record, time in UTC, no latency recorded', () => {
    const outcome = parser.parse(line('200', '503'));
    expect(outcome).toMatchObject({
      kind: 'records',
      records: [
        {
          logType: 'ocsp',
          record: {
            ts: '2026-11-28T10:00:00.000Z',
            client_ip: '2001:db8::1',
            browser_family: 'Firefox',
            os_family: 'Linux',
            status: 'unrecorded',
            bytes: 503,
            latency_ms: null,
            responder_id: 'web-1',
          },
        },
      ],
    });
  });

  it("records a 5xx as error and Apache's '-' byte count as 0", () => {
    expect(parser.parse(line('503', '-'))).toMatchObject({
      records: [{ record: { status: 'error', bytes: 0 } }],
    });
  });

  it.each([
    ['a bad month', line('200', '1', '28/Foo/2026:11:00:00 +0100')],
    ['a missing quote', line('200', '1').replace('"GET', 'GET')],
    ['JSON', '{"ts":"2026-11-28T10:00:00Z"}'],
  ])('rejects %s as unparseable', (_, text) => {
    expect(parser.parse(text)).toMatchObject({ kind: 'rejected', code: 'unparseable' });
  });

  it('rejects a client address that is not an IP, naming the field', () => {
    const outcome = parser.parse(line('200', '1').replace('2001:db8::1', 'attacker.example'));
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'invalid_field' });
    expect((outcome as { reason: string }).reason).toContain('client_ip');
  });
});

describe('CloudFront standard logs', () => {
  const row = (values: Record<string, string>, fields: string[]) =>
    fields.map((f) => values[f] ?? '-').join('\t');
  const values = {
    date: '2026-11-28',
    time: '10:00:00',
    'x-edge-location': 'FRA56-P1',
    'sc-bytes': '1262',
    'c-ip': '198.51.100.23',
    'cs-method': 'GET',
    'cs(Host)': 'd111111abcdef8.cloudfront.net',
    'cs-uri-stem': `/${encodeURIComponent(OCSP)}`,
    'sc-status': '200',
    'cs(User-Agent)': 'Microsoft-CryptoAPI/10.0',
    'time-taken': '0.004',
  };

  it('reads lines in the documented default order before any header', () => {
    const parser = createCloudfrontStandardParser({ region: 'global' });
    const { DEFAULT_STANDARD_FIELDS } = jest.requireActual(
      '../../../../core/ingest/formats/cloudfront-standard',
    );
    expect(parser.parse(row(values, DEFAULT_STANDARD_FIELDS))).toMatchObject({
      records: [
        {
          record: {
            responder_id: 'FRA56-P1',
            browser_family: 'Microsoft CryptoAPI',
            os_family: 'Windows',
            latency_ms: 4,
            bytes: 1262,
          },
        },
      ],
    });
  });

  it('follows a #Fields: header that reorders and drops fields', () => {
    const parser = createCloudfrontStandardParser({ region: 'global' });
    const fields = ['c-ip', 'time', 'date', 'cs-uri-stem', 'cs-method', 'sc-status'];
    expect(parser.parse('#Version: 1.0')).toEqual({ kind: 'skipped', reason: 'header' });
    parser.parse(`#Fields: ${fields.join(' ')}`);
    // No x-edge-location and no responderId option: nothing names the responder.
    expect(parser.parse(row(values, fields))).toMatchObject({ code: 'missing_field' });
    const named = createCloudfrontStandardParser({ region: 'global', responderId: 'cf' });
    named.parse(`#Fields: ${fields.join(' ')}`);
    expect(named.parse(row(values, fields))).toMatchObject({
      records: [{ record: { latency_ms: null, bytes: null, browser_family: 'Other' } }],
    });
  });

  it('rejects a line whose field count does not match the header', () => {
    const parser = createCloudfrontStandardParser({ region: 'global', responderId: 'cf' });
    parser.parse('#Fields: date time c-ip');
    expect(parser.parse('2026-11-28\t10:00:00')).toMatchObject({ code: 'unparseable' });
  });

  it('rejects a POST, whose body CloudFront never logs', () => {
    const parser = createCloudfrontStandardParser({ region: 'global', responderId: 'cf' });
    const fields = ['date', 'time', 'c-ip', 'cs-method', 'cs-uri-stem', 'sc-status'];
    parser.parse(`#Fields: ${fields.join(' ')}`);
    expect(parser.parse(row({ ...values, 'cs-method': 'POST' }, fields))).toMatchObject({
      code: 'missing_field',
    });
  });
});

describe('CloudFront real-time logs', () => {
  const fields = ['timestamp', 'c-ip', 'cs-method', 'cs-uri-stem', 'sc-status', 'x-edge-location'];
  const parser = createCloudfrontRealtimeParser({ region: 'global', fields });

  it('reads the configured fields, time in Unix seconds', () => {
    const line = ['1795860000.123', '192.0.2.1', 'GET', `/${OCSP}`, '200', 'IAD89-C1'].join('\t');
    expect(parser.parse(line)).toMatchObject({
      records: [{ record: { ts: '2026-11-28T10:00:00.123Z', responder_id: 'IAD89-C1' } }],
    });
  });

  it('rejects a timestamp that is not Unix seconds', () => {
    const line = ['2026-11-28T10:00:00Z', '192.0.2.1', 'GET', `/${OCSP}`, '200', 'X'].join('\t');
    expect(parser.parse(line)).toMatchObject({ code: 'missing_field' });
  });
});

describe('the format registry', () => {
  it.each(formatNames)("parses %s's sample into records of its declared log types", (name) => {
    const { sample, logTypes } = formats[name];
    const parser = createParser(name, sample.options);
    const outcomes = sample.lines.map((line) => parser.parse(line));
    const records = outcomes.flatMap((o) => (o.kind === 'records' ? o.records : []));
    expect(outcomes.filter((o) => o.kind === 'rejected')).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(logTypes).toContain(r.logType);
    for (const r of records.filter((x) => x.logType === 'ocsp'))
      expect(ocspRequestFields.safeParse(r.record).success).toBe(true);
  });

  it('refuses an unknown format, listing the known ones', () => {
    expect(() => createParser('syslog')).toThrow(/unknown format "syslog": use one of boulder/);
  });

  it('refuses missing options before reading a line, naming each field and what to set', () => {
    expect(() => createParser('combined', { region: 'eu-west-1' })).toThrow(
      /--format combined: option responderId: .*\(set it: responder_id for every record/,
    );
    expect(() => createParser('cloudfront-realtime', { region: 'x', fields: ['c-ip'] })).toThrow(
      /option fields: must include timestamp/,
    );
    expect(() => createParser('boulder', { regoin: 'x' })).toThrow(/regoin/);
  });
});
