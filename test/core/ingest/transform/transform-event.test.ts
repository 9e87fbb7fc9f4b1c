import { ocspRequestRecord } from '../../../../core/ingest/schemas/ocsp-request';
import { acmeEventRecord } from '../../../../core/ingest/schemas/acme-event';
import { MAX_RESPONSE_BYTES } from '../../../../core/ingest/transform/firehose-event';
import {
  TransformationSettings,
  transformEvent,
} from '../../../../core/ingest/transform/transform-event';
import { boulderLine } from '../formats/boulder-lines';
import { Issuer, Leaf, OpensslFixture } from '../formats/openssl-fixture';
import { deliveredLines, firehoseEvent, nginxOcspGet } from './firehose-events';

/**
 * The Firehose transformation on events in the documented format: OCSP
 * requests made by `openssl ocsp -reqout`, nginx lines in nginx's documented
 * combined layout, Boulder lines with checksums computed by the test, sent
 * one line per record (Fluent Bit, Vector) or packed (Kinesis Agent's
 * aggregatedRecordSizeBytes).
 */

const NOW = Date.now();
const OCSP_STREAM = 'logvault-dev-ocsp-1';
const ACME_STREAM = 'logvault-dev-acme-1';
const settings: TransformationSettings = {
  ocsp: { format: 'combined', options: { responderId: 'edge-1', region: 'eu-west-1' } },
  acme: { format: 'boulder', options: {} },
};

const fixture = new OpensslFixture();
let issuer: Issuer;
let leaves: Leaf[];
let single: Buffer;
let triple: Buffer;
beforeAll(() => {
  issuer = fixture.issuer('transform-ca', 'ec');
  leaves = ['0a1b2c', '7fee01', '01'].map((serial) => fixture.leaf(issuer, serial));
  single = fixture.request(issuer, [leaves[0]]);
  triple = fixture.request(issuer, leaves, { sha256: true, nonce: true });
});
afterAll(() => fixture.dispose());

const acmeJson = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    ts: new Date(NOW).toISOString(),
    account_id: '1234',
    source_ip: '203.0.113.9',
    endpoint: 'new-order',
    method: 'POST',
    status: 201,
    order_id: '5678',
    authz_id: null,
    challenge_id: null,
    identifiers: ['example.com'],
    resolved_ips: [],
    validation_method: null,
    validation_target: null,
    validation_result: null,
    user_agent: 'CertbotACMEClient/2.11.0',
    request_body: null,
    response_body: null,
    ...over,
  });

describe('unpacked records (one line per record: Fluent Bit, Vector)', () => {
  it('delivers each nginx OCSP GET as the stored record, serial as openssl says', () => {
    const line = nginxOcspGet(single, NOW);
    const event = firehoseEvent(OCSP_STREAM, [line, line]);
    const { response, summary } = transformEvent(event, settings);
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual(
      event.records.map((r) => [r.recordId, 'Ok']),
    );
    const [first, second] = response.records.map((r) => deliveredLines(r.data));
    expect(first).toHaveLength(1);
    expect(ocspRequestRecord.parse(first[0])).toMatchObject({
      serial: leaves[0].serial,
      issuer_key_hash: issuer.keyHash.sha1,
      client_ip: '198.51.100.23',
      browser_family: 'Firefox',
      responder_id: 'edge-1',
    });
    // Identical lines in different producer records share one id (documented limitation).
    expect(second[0].line_id).toBe(first[0].line_id);
    expect(summary).toMatchObject({ logType: 'ocsp', ok: 2, failed: 0, storedRecords: 2 });
  });

  it('keeps the line_id of a record logvault ship already stored', () => {
    const first = transformEvent(firehoseEvent(OCSP_STREAM, [nginxOcspGet(single, NOW)]), settings);
    const stored = deliveredLines(first.response.records[0].data)[0];
    const shipped = JSON.stringify({ ...stored, line_id: 'ab'.repeat(16) });
    const { response } = transformEvent(firehoseEvent(OCSP_STREAM, [shipped]), settings);
    expect(deliveredLines(response.records[0].data)[0].line_id).toBe('ab'.repeat(16));
  });
});

describe('packed records (Kinesis Agent aggregatedRecordSizeBytes)', () => {
  it('splits the lines, one stored record per CertID, every id distinct', () => {
    const lines = [nginxOcspGet(triple, NOW), nginxOcspGet(single, NOW), nginxOcspGet(single, NOW)];
    const { response } = transformEvent(firehoseEvent(OCSP_STREAM, [lines]), settings);
    expect(response.records[0].result).toBe('Ok');
    const stored = deliveredLines(response.records[0].data);
    expect(stored.map((r) => [r.serial, r.hash_alg])).toEqual([
      ...leaves.map((l) => [l.serial, 'sha256']),
      [leaves[0].serial, 'sha1'],
      [leaves[0].serial, 'sha1'],
    ]);
    // Two identical lines in one record are two requests: two ids.
    expect(new Set(stored.map((r) => r.line_id)).size).toBe(5);
  });

  it('gives the same ids when the same record is sent again (at-least-once delivery)', () => {
    const record = [nginxOcspGet(triple, NOW), nginxOcspGet(single, NOW)];
    const ids = () =>
      deliveredLines(
        transformEvent(firehoseEvent(OCSP_STREAM, [record]), settings).response.records[0].data,
      ).map((r) => r.line_id);
    expect(ids()).toEqual(ids());
  });

  it("reads a record without a final newline and CRLF line ends (Vector's text codec, Windows hosts)", () => {
    const data = Buffer.from(
      `${nginxOcspGet(single, NOW)}\r\n${nginxOcspGet(single, NOW, '2001:db8::7')}`,
    );
    const { response } = transformEvent(firehoseEvent(OCSP_STREAM, [data]), settings);
    expect(deliveredLines(response.records[0].data).map((r) => r.client_ip)).toEqual([
      '198.51.100.23',
      '2001:db8::7',
    ]);
  });

  it('leaves out what the source writes that is not a request, and drops a record of only those', () => {
    const favicon = `198.51.100.23 - - [28/Nov/2026:10:00:00 +0000] "GET /favicon.ico HTTP/1.1" 404 0 "-" "curl/8.5.0"`;
    const { response, summary } = transformEvent(
      firehoseEvent(OCSP_STREAM, [[favicon, nginxOcspGet(single, NOW)], [favicon]]),
      settings,
    );
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'Dropped']);
    expect(deliveredLines(response.records[0].data)).toHaveLength(1);
    expect(response.records[1].data).toBe('');
    expect(summary).toMatchObject({ ok: 1, dropped: 1, ignoredLines: 2 });
  });

  it('takes Boulder WFE lines on an acme stream, checksums verified', () => {
    const wfe = boulderLine(
      'POST /acme/new-order 1234 201 12 203.0.113.9 JSON={"Slug":"1234/5678","ua":"CertbotACMEClient/2.11.0","Status":"pending"}',
      { ts: new Date(NOW).toISOString().replace('Z', '+00:00') },
    );
    const { response } = transformEvent(firehoseEvent(ACME_STREAM, [[wfe]]), settings);
    expect(response.records[0].result).toBe('Ok');
    expect(acmeEventRecord.parse(deliveredLines(response.records[0].data)[0])).toMatchObject({
      account_id: '1234',
      status: 201,
    });
  });
});

describe('refused records go to the error prefix whole (ProcessingFailed, original data)', () => {
  it('fails a record holding OCSP lines on an acme stream: another retention class', () => {
    const event = firehoseEvent(ACME_STREAM, [nginxOcspGet(single, NOW)]);
    const { response, summary } = transformEvent(event, settings);
    expect(response.records[0]).toEqual({
      recordId: event.records[0].recordId,
      result: 'ProcessingFailed',
      data: event.records[0].data,
    });
    expect(summary.failed).toBe(1);
  });

  it('fails a record holding an ACME event on an ocsp stream, JSON or Boulder', () => {
    const wfe = boulderLine(
      'POST /acme/new-order 1234 201 12 203.0.113.9 JSON={"Slug":"1234/5678","ua":"x","Status":"pending"}',
      { ts: new Date(NOW).toISOString().replace('Z', '+00:00') },
    );
    const boulderOcsp = { ...settings, ocsp: { format: 'boulder' as const, options: {} } };
    const event = firehoseEvent(OCSP_STREAM, [
      acmeJson(),
      [nginxOcspGet(single, NOW), acmeJson()],
      wfe,
    ]);
    expect(transformEvent(event, settings).response.records.map((r) => r.result)).toEqual([
      'ProcessingFailed',
      'ProcessingFailed',
      'ProcessingFailed',
    ]);
    expect(
      transformEvent(firehoseEvent(OCSP_STREAM, [wfe]), boulderOcsp).response.records[0].result,
    ).toBe('ProcessingFailed');
  });

  it('fails every record of a stream whose name says no log type', () => {
    const { response, summary } = transformEvent(
      firehoseEvent('edge-logs', [nginxOcspGet(single, NOW)]),
      settings,
    );
    expect(response.records[0].result).toBe('ProcessingFailed');
    expect(summary.failures).toEqual({ stream_type: 1 });
  });

  it("deployed for a stage, takes only that stage's own streams: a custom name may deliver anywhere", () => {
    const through = (stream: string) =>
      transformEvent(
        firehoseEvent(stream, [nginxOcspGet(single, NOW)]),
        settings,
        MAX_RESPONSE_BYTES,
        'dev',
      );
    // A stream named for OCSP could deliver into the ACME landing bucket (issue 18).
    for (const stream of ['edge-ocsp-firehose', 'logvault-prod-ocsp-1', 'logvault-dev-ocsp-x']) {
      const { response, summary } = through(stream);
      expect(response.records[0].result).toBe('ProcessingFailed');
      expect(summary).toMatchObject({ logType: undefined, failures: { stream_type: 1 } });
    }
    expect(through(OCSP_STREAM).response.records[0].result).toBe('Ok');
  });

  it('fails a packed record whole when one line is corrupt, keeping its neighbours in Ok records', () => {
    const corrupt = boulderLine('POST /acme/new-order 1 201 1 203.0.113.9 JSON={}', {
      ts: new Date(NOW).toISOString().replace('Z', '+00:00'),
    }).replace('new-order', 'new-0rder');
    const event = firehoseEvent(ACME_STREAM, [
      [acmeJson(), corrupt],
      [acmeJson({ account_id: '9' })],
    ]);
    const { response, summary } = transformEvent(event, settings);
    expect(response.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'Ok']);
    expect(summary.failures).toEqual({ bad_checksum: 1 });
  });

  it('fails a record whose data is not base64 or not UTF-8, and a stale OCSP request, alone', () => {
    const event = firehoseEvent(OCSP_STREAM, [
      nginxOcspGet(single, NOW),
      Buffer.from([0xff, 0xfe, 0x0a]),
      nginxOcspGet(single, NOW - 3 * 24 * 3600 * 1000),
    ]);
    event.records.push({ ...event.records[0], recordId: 'malformed', data: 'not base64!' });
    const { response, summary } = transformEvent(event, settings);
    expect(response.records.map((r) => r.result)).toEqual([
      'Ok',
      'ProcessingFailed',
      'ProcessingFailed',
      'ProcessingFailed',
    ]);
    expect(summary.failures).toEqual({ invalid_record: 2, not_base64: 1 });
  });
});

describe("Firehose's payload limit", () => {
  it('answers a 3 MB buffer that expands past 6 MB within the limit, overflow to the error prefix', () => {
    const line = nginxOcspGet(triple, NOW);
    // 3 MB, Firehose's largest Lambda buffer, in 4 KB records of 3-certificate requests.
    const perRecord = Math.floor(4096 / (line.length + 1));
    const record = Array.from({ length: perRecord }, () => line);
    const event = firehoseEvent(
      OCSP_STREAM,
      Array.from({ length: 750 }, () => record),
    );
    const { response, summary } = transformEvent(event, settings);
    const bytes = Buffer.byteLength(JSON.stringify(response));
    expect(bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(summary.ok).toBeGreaterThan(100);
    expect(summary.failures.response_budget).toBe(750 - summary.ok);
    // Every record is delivered or kept: none is dropped.
    expect(summary.dropped).toBe(0);
  });
});
