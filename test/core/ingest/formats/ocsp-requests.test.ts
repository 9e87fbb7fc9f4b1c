import { createBoulderParser } from '../../../../core/ingest/formats/boulder';
import { createCloudfrontStandardParser } from '../../../../core/ingest/formats/cloudfront-standard';
import { createCombinedParser } from '../../../../core/ingest/formats/combined-log';
import type { LineOutcome } from '../../../../core/ingest/formats';
import { boulderLine } from './boulder-lines';
import { Issuer, Leaf, OpensslFixture } from './openssl-fixture';

/**
 * Real OCSP requests (openssl ocsp -reqout) reach the parsers the ways real
 * logs carry them; every decoded CertID is compared with what openssl says
 * about the certificates.
 */

const openssl = new OpensslFixture();
let rsaCa: Issuer;
let ecCa: Issuer;
let leaves: Leaf[];
let ecLeaf: Leaf;

beforeAll(() => {
  rsaCa = openssl.issuer('rsa-ca', 'rsa');
  ecCa = openssl.issuer('ec-ca', 'ec');
  leaves = [
    openssl.leaf(rsaCa, '00a1b2c3'), // high bit set: DER adds a sign octet
    openssl.leaf(rsaCa, '0a'), // one octet, leading zero nibble
    openssl.leaf(rsaCa, '7f0e1d2c3b4a59687766554433221100ffeeddcc'), // 20 octets, the maximum
  ];
  ecLeaf = openssl.leaf(ecCa, '03e8');
});
afterAll(() => openssl.dispose());

const nginx = createCombinedParser({ responderId: 'ocsp-1', region: 'eu-west-1' });
const nginxLine = (method: string, path: string, extra = '') =>
  `192.0.2.10 - - [28/Nov/2026:10:00:00 +0000] "${method} ${path} HTTP/1.1" 200 1400 "-" "Microsoft-CryptoAPI/10.0"${extra}`;

function records(outcome: LineOutcome) {
  if (outcome.kind !== 'records')
    throw new Error(`expected records, got ${JSON.stringify(outcome)}`);
  return outcome.records.map((r) => r.record as Record<string, unknown>);
}

const certIdOf = (r: Record<string, unknown>) => ({
  serial: r.serial,
  issuer_key_hash: r.issuer_key_hash,
  issuer_name_hash: r.issuer_name_hash,
  hash_alg: r.hash_alg,
});

const expected = (issuer: Issuer, leaf: Leaf, alg: 'sha1' | 'sha256') => ({
  serial: leaf.serial,
  issuer_key_hash: issuer.keyHash[alg],
  issuer_name_hash: issuer.nameHash[alg],
  hash_alg: alg,
});

describe('the test fixture agrees with openssl', () => {
  it("computes the same SHA-1 issuer hashes as openssl's -ocspid", () => {
    expect(rsaCa.keyHash.sha1).toBe(rsaCa.ocspid.keySha1);
    expect(rsaCa.nameHash.sha1).toBe(rsaCa.ocspid.nameSha1);
    expect(ecCa.keyHash.sha1).toBe(ecCa.ocspid.keySha1);
  });

  it('has serials as openssl x509 -serial prints them', () => {
    expect(leaves.map((l) => l.serial)).toEqual([
      'a1b2c3',
      '0a',
      '7f0e1d2c3b4a59687766554433221100ffeeddcc',
    ]);
  });
});

describe('OCSP GET paths in an access log', () => {
  it.each([
    ['plain', (b64: string) => `/${b64}`],
    ['URL-escaped', (b64: string) => `/${encodeURIComponent(b64)}`],
    ['double slash', (b64: string) => `//${b64}`],
    ['escaped twice', (b64: string) => `/${encodeURIComponent(encodeURIComponent(b64))}`],
  ])('decodes a SHA-1 request sent %s', (_, path) => {
    const der = openssl.request(rsaCa, [leaves[0]]);
    const [record] = records(nginx.parse(nginxLine('GET', path(der.toString('base64')))));
    expect(certIdOf(record)).toEqual(expected(rsaCa, leaves[0], 'sha1'));
  });

  it('decodes a SHA-256 CertID (openssl ocsp -sha256)', () => {
    const der = openssl.request(ecCa, [ecLeaf], { sha256: true });
    const [record] = records(nginx.parse(nginxLine('GET', `/${der.toString('base64')}`)));
    expect(certIdOf(record)).toEqual(expected(ecCa, ecLeaf, 'sha256'));
  });

  it('stores one record per certificate of a multi-certificate request', () => {
    const der = openssl.request(rsaCa, leaves, { sha256: true });
    const stored = records(
      nginx.parse(nginxLine('GET', `/${encodeURIComponent(der.toString('base64'))}`)),
    );
    expect(stored.map(certIdOf)).toEqual(leaves.map((l) => expected(rsaCa, l, 'sha256')));
    expect(new Set(stored.map((r) => r.client_ip))).toEqual(new Set(['192.0.2.10']));
  });

  it('decodes a request that carries a nonce extension', () => {
    const der = openssl.request(rsaCa, [leaves[1]], { nonce: true });
    expect(openssl.requestText(der)).toContain('OCSP Nonce');
    const [record] = records(nginx.parse(nginxLine('GET', `/${der.toString('base64')}`)));
    expect(certIdOf(record)).toEqual(expected(rsaCa, leaves[1], 'sha1'));
  });

  it('decodes a signed request (requestorName and optionalSignature, openssl ocsp -signer)', () => {
    const der = openssl.request(rsaCa, [leaves[0], leaves[1]], { signer: ecCa, nonce: true });
    const text = openssl.requestText(der);
    expect(text).toContain('Requestor Name');
    expect(text).toContain('Signature Algorithm');
    const stored = records(nginx.parse(nginxLine('GET', `/${der.toString('base64')}`)));
    expect(stored.map(certIdOf)).toEqual([
      expected(rsaCa, leaves[0], 'sha1'),
      expected(rsaCa, leaves[1], 'sha1'),
    ]);
  });

  it('decodes through a CloudFront standard log', () => {
    const der = openssl.request(rsaCa, [leaves[2]]);
    const cloudfront = createCloudfrontStandardParser({ region: 'global' });
    cloudfront.parse('#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)');
    const line = [
      '2026-11-28',
      '10:00:00',
      '192.0.2.10',
      'GET',
      `/${encodeURIComponent(der.toString('base64'))}`,
      '200',
      'curl/8.5.0',
    ].join('\t');
    expect(cloudfront.parse(line)).toMatchObject({ kind: 'rejected', code: 'missing_field' });
    const withEdge = createCloudfrontStandardParser({ region: 'global', responderId: 'cdn' });
    withEdge.parse('#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)');
    expect(certIdOf(records(withEdge.parse(line))[0])).toEqual(expected(rsaCa, leaves[2], 'sha1'));
  });
});

describe('OCSP POST bodies', () => {
  /** The body as nginx writes $request_body with escape=default. */
  const nginxEscaped = (der: Buffer) =>
    [...der]
      .map((b) =>
        b < 0x20 || b > 0x7e || b === 0x22 || b === 0x5c
          ? `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`
          : String.fromCharCode(b),
      )
      .join('');

  it('decodes a body logged by the recommended nginx format', () => {
    const der = openssl.request(rsaCa, [leaves[0], leaves[1]], { nonce: true });
    const stored = records(
      nginx.parse(nginxLine('POST', '/', ` rt=0.003 body="${nginxEscaped(der)}"`)),
    );
    expect(stored.map(certIdOf)).toEqual([
      expected(rsaCa, leaves[0], 'sha1'),
      expected(rsaCa, leaves[1], 'sha1'),
    ]);
    expect(stored[0]).toMatchObject({ method: 'POST', latency_ms: 3 });
  });

  it('rejects a POST whose body the log format does not record', () => {
    expect(nginx.parse(nginxLine('POST', '/'))).toMatchObject({
      kind: 'rejected',
      code: 'missing_field',
    });
  });

  it("decodes a Boulder responder's base64 body and GET path", () => {
    const boulder = createBoulderParser({ region: 'dc1' });
    const der = openssl.request(ecCa, [ecLeaf], { sha256: true });
    const post = {
      ip: '[2001:db8::7]:443',
      ua: 'Go-http-client/1.1',
      method: 'POST',
      body: der.toString('base64'),
      took: 2_400_000,
      headers: { Etag: ['"AB"'] },
    };
    const get = { ...post, method: 'GET', path: `/${der.toString('base64')}`, body: undefined };
    for (const json of [post, get]) {
      const [record] = records(
        boulder.parse(boulderLine(`Received request: ${JSON.stringify(json)}`, { host: 'ocsp1' })),
      );
      expect(certIdOf(record)).toEqual(expected(ecCa, ecLeaf, 'sha256'));
      expect(record).toMatchObject({
        client_ip: '2001:db8::7',
        latency_ms: 2,
        status: 'unrecorded',
        responder_id: 'ocsp1',
        bytes: null,
      });
    }
  });
});

describe('what is not an OCSP request', () => {
  it.each([
    ['a file path', 'GET', '/favicon.ico', 'not_ocsp'],
    ['a HEAD request', 'HEAD', '/MEUwQzBB', 'not_ocsp'],
    ['base64 that is not DER', 'GET', '/aGVsbG8gd29ybGQ=', 'undecodable_ocsp_request'],
    ['a path outside the prefix', 'GET', 'no-slash', 'not_ocsp'],
  ])('rejects %s', (_, method, path, code) => {
    expect(nginx.parse(nginxLine(method, path))).toMatchObject({ kind: 'rejected', code });
  });

  it('rejects a truncated request', () => {
    const der = openssl.request(rsaCa, [leaves[0]]);
    const cut = der.subarray(0, der.length - 5).toString('base64');
    expect(nginx.parse(nginxLine('GET', `/${cut}`))).toMatchObject({
      kind: 'rejected',
      code: 'undecodable_ocsp_request',
    });
  });

  it.each([
    ['trailing bytes after the request', (der: Buffer) => Buffer.concat([der, Buffer.from([0])])],
    [
      'a SET where the OCSPRequest SEQUENCE is',
      (der: Buffer) => Buffer.from([0x31, ...der.subarray(1)]),
    ],
    ['a request of more than 10,000 bytes', () => Buffer.alloc(10_001, 0x30)],
  ])('rejects %s', (_, change) => {
    const der = change(openssl.request(rsaCa, [leaves[0]]));
    expect(nginx.parse(nginxLine('GET', `/${der.toString('base64')}`))).toMatchObject({
      kind: 'rejected',
      code: 'undecodable_ocsp_request',
    });
  });

  it('honours the responder path prefix', () => {
    const prefixed = createCombinedParser({ responderId: 'r', region: 'x', pathPrefix: '/ocsp/' });
    const der = openssl.request(rsaCa, [leaves[0]]).toString('base64');
    expect(records(prefixed.parse(nginxLine('GET', `/ocsp/${der}`)))).toHaveLength(1);
    expect(prefixed.parse(nginxLine('GET', `/${der}`))).toMatchObject({ code: 'not_ocsp' });
  });
});
