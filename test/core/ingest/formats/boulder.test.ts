import { checksumMatches } from '../../../../core/ingest/formats/boulder-checksum';
import { createBoulderParser } from '../../../../core/ingest/formats/boulder';
import type { LineOutcome } from '../../../../core/ingest/formats';
import { boulderLine, checksum6, checksum7, Layout } from './boulder-lines';

const parser = createBoulderParser({ referenceTime: new Date('2026-12-01T00:00:00Z') });

const wfe = (json: object, head = 'POST /acme/new-order 4711 201 84 198.51.100.7') =>
  `${head} JSON=${JSON.stringify(json)}`;

function only(outcome: LineOutcome) {
  if (outcome.kind !== 'records' || outcome.records.length !== 1)
    throw new Error(`expected one record, got ${JSON.stringify(outcome)}`);
  return outcome.records[0];
}

describe('Boulder checksums', () => {
  it("matches Boulder's published vectors in both encodings (boulder log/log_test.go)", () => {
    expect(checksum6('Hello, World!')).toBe('0MNK7A');
    expect(checksum7('Info log')).toBe('pcbo7wk');
    expect(checksumMatches('0MNK7A', 'Hello, World!')).toBe(true);
    expect(checksumMatches('pcbo7wk', 'Info log')).toBe(true);
  });

  it.each([6, 7] as const)('accepts lines with the %i-character checksum', (encoding) => {
    const line = boulderLine(wfe({ ua: 'lego' }), { encoding });
    expect(only(parser.parse(line)).logType).toBe('acme');
  });

  const good = boulderLine(wfe({ ua: 'lego-cli/4.19.2' }));
  it.each([
    ['a changed message character', good.replace('4711', '4712')],
    ['a changed checksum', good.replace(/ (\S{6}) POST/, ' AAAAAA POST')],
    ['a truncated message', good.slice(0, -3)],
    ['a checksum of the wrong length', good.replace(/ (\S{6}) POST/, ' $1x POST')],
    [
      'a raw newline turned into the two characters',
      boulderLine('a\nb').replace('a\\nb', 'a\\\\nb'),
    ],
  ])('rejects a corrupted line: %s', (_, line) => {
    expect(parser.parse(line)).toMatchObject({ kind: 'rejected', code: 'bad_checksum' });
  });
});

describe('Boulder envelopes', () => {
  it.each<Layout>(['stdout', 'short', 'le-rsyslog', 'rsyslog-file', 'rfc3164', 'rfc5424'])(
    'reads the %s layout',
    (layout) => {
      const { record } = only(parser.parse(boulderLine(wfe({ ua: 'certbot' }), { layout })));
      expect(record).toMatchObject({ account_id: '4711', endpoint: 'new-order', status: 201 });
      expect(record.ts).toMatch(/^2026-11-28T10:00:00\.(123|000)Z$/);
    },
  );

  it('converts an offset timestamp to UTC', () => {
    const line = boulderLine(wfe({}), { ts: '2026-11-28T05:00:00.5-05:00' });
    expect(only(parser.parse(line)).record.ts).toBe('2026-11-28T10:00:00.500Z');
  });

  it('puts an RFC 3164 December line read in January into the previous year', () => {
    const january = createBoulderParser({ referenceTime: new Date('2027-01-02T00:00:00Z') });
    const line = boulderLine(wfe({}), { layout: 'rfc3164' }).replace('Nov 28', 'Dec 31');
    expect(only(january.parse(line)).record.ts).toBe('2026-12-31T10:00:00.000Z');
  });

  it.each([
    ['free text', 'hello world'],
    ['a line with no checksum', '2026-11-28T10:00:00Z host1 dc1 boulder-wfe[1]: 6 boulder-wfe'],
  ])('rejects %s as unparseable', (_, line) => {
    expect(parser.parse(line)).toMatchObject({ kind: 'rejected', code: 'unparseable' });
  });

  it('rejects a valid Boulder line that is not a request, naming its program', () => {
    const outcome = parser.parse(boulderLine('Caught SIGTERM', { program: 'boulder-ra' }));
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'not_a_request' });
    expect((outcome as { reason: string }).reason).toContain('boulder-ra');
  });

  it('rejects an [AUDIT] event that is not a request, and reads an [AUDIT]-tagged request', () => {
    const audit = boulderLine('[AUDIT] Certificate request - successful JSON={"ID":"1"}');
    expect(parser.parse(audit)).toMatchObject({ kind: 'rejected', code: 'not_a_request' });
    const tagged = boulderLine(`[AUDIT] ${wfe({})}`);
    expect(only(parser.parse(tagged)).logType).toBe('acme');
  });

  it('skips blank lines', () => {
    expect(parser.parse('  ')).toEqual({ kind: 'skipped', reason: 'blank' });
  });
});

describe('Boulder WFE request lines', () => {
  it('maps a challenge POST to the ACME record', () => {
    const line = boulderLine(
      wfe(
        {
          Slug: '4711/99/Ab-_9',
          ua: 'lego-cli/4.19.2',
          Status: 'pending',
          ChallengeType: 'dns-01',
          Identifiers: [{ type: 'dns', value: 'www.example.org' }],
        },
        'POST /acme/chall/ 4711 200 312 2001:db8::5',
      ),
    );
    expect(only(parser.parse(line))).toEqual({
      logType: 'acme',
      record: {
        ts: '2026-11-28T10:00:00.123Z',
        account_id: '4711',
        source_ip: '2001:db8::5',
        endpoint: 'challenge',
        method: 'POST',
        status: 200,
        order_id: null,
        authz_id: '99',
        challenge_id: 'Ab-_9',
        identifiers: ['www.example.org'],
        resolved_ips: [],
        validation_method: 'dns-01',
        validation_target: null,
        validation_result: 'pending',
        user_agent: 'lego-cli/4.19.2',
        request_body: null,
        response_body: null,
        body_truncated: false,
      },
    });
  });

  it("takes new-order's order id from Created and older Boulders' DNSNames, and IP identifiers", () => {
    const { record } = only(
      parser.parse(
        boulderLine(
          wfe({
            Created: '5678',
            DNSNames: ['a.example.com', 'b.example.com'],
            Identifiers: [{ type: 'ip', value: '192.0.2.1' }],
          }),
        ),
      ),
    );
    expect(record).toMatchObject({
      order_id: '5678',
      identifiers: ['192.0.2.1', 'a.example.com', 'b.example.com'],
    });
  });

  it('never stores the Contacts e-mail addresses of older Boulders, nor errors or extras', () => {
    const line = boulderLine(
      wfe({
        Contacts: ['mailto:alice@example.com'],
        Error: '400 :: bob@example.com',
        InternalErrors: ['x'],
        Extra: { KeyType: 'RSA 2048' },
        Origin: 'https://evil.example',
      }),
    );
    const stored = JSON.stringify(only(parser.parse(line)).record);
    expect(stored).not.toMatch(/@|mailto|evil|KeyType|RSA/);
  });

  it('stores no id from a forged slug', () => {
    const line = boulderLine(
      wfe({ Slug: '1/<script>/../../etc' }, 'GET /acme/authz/ 0 404 1 192.0.2.9'),
    );
    expect(only(parser.parse(line)).record).toMatchObject({ authz_id: null, account_id: '0' });
  });

  it.each([
    ['an unknown method', wfe({}, 'OPTIONS /acme/new-order 0 200 1 192.0.2.9')],
    ['a malformed IP', wfe({}, 'GET /directory 0 200 1 not-an-ip')],
    [
      'an unknown challenge type',
      wfe({ ChallengeType: 'email-reply-00' }, 'POST /acme/chall/ 1 200 1 192.0.2.9'),
    ],
  ])('rejects %s as an invalid field', (_, message) => {
    expect(parser.parse(boulderLine(message))).toMatchObject({
      kind: 'rejected',
      code: 'invalid_field',
    });
  });

  it('rejects a WFE line whose JSON is cut', () => {
    const message = wfe({ ua: 'x' }).slice(0, -2) + '}';
    expect(parser.parse(boulderLine(message))).toMatchObject({
      kind: 'rejected',
      code: 'unparseable',
    });
  });
});

describe('Boulder OCSP responder lines', () => {
  const responderLine = (json: object, o = {}) =>
    boulderLine(`Received request: ${JSON.stringify(json)}`, { program: 'ocsp-responder', ...o });
  const logged = {
    ip: '203.0.113.7:51234',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64) alice@example.com',
    method: 'GET',
    path: '/not base64!',
    took: 1_500_000,
    headers: { 'Content-Type': ['application/ocsp-response'] },
    serial: '03e8',
    issuerKeyHash: 'aa'.repeat(20),
    issuerNameHash: 'bb'.repeat(20),
    hashAlg: 'SHA1',
  };

  it("falls back to Boulder's logged CertID, infers error from a missing ETag, names families from the closed list", () => {
    const { record } = only(parser.parse(responderLine(logged)));
    expect(record).toMatchObject({
      client_ip: '203.0.113.7',
      serial: '03e8',
      hash_alg: 'sha1',
      status: 'error',
      responder_id: 'host1',
      region: 'dc1',
      latency_ms: 2,
      browser_family: 'Other',
      os_family: 'Windows',
    });
    expect(JSON.stringify(record)).not.toContain('alice');
  });

  it('rejects a line that carries no decodable request', () => {
    const noCertId = { ...logged, serial: undefined };
    expect(parser.parse(responderLine(noCertId))).toMatchObject({
      kind: 'rejected',
      code: 'undecodable_ocsp_request',
    });
  });

  it('rejects a line with no responder or region when the options give none', () => {
    expect(parser.parse(responderLine(logged, { layout: 'short' }))).toMatchObject({
      kind: 'rejected',
      code: 'missing_field',
    });
    const configured = createBoulderParser({ responderId: 'ocsp-a', region: 'us-east-1' });
    expect(only(configured.parse(responderLine(logged, { layout: 'short' }))).record).toMatchObject(
      { responder_id: 'ocsp-a', region: 'us-east-1' },
    );
  });
});
