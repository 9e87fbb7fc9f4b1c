import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { handler } from '../../lambdas/ingest-transform';
import type { FirehoseTransformationResponse } from '../../core/ingest/transform/firehose-event';
import type { TransformationSetting } from '../../core/ingest/schemas/source-formats';
import { boulderLine } from '../core/ingest/formats/boulder-lines';
import { Issuer, Leaf, OpensslFixture } from '../core/ingest/formats/openssl-fixture';
import { firehoseEvent, nginxOcspGet } from '../core/ingest/transform/firehose-events';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';
import { sorted } from '../support/analytics-fixture';

/**
 * The Firehose transformation end to end on the stand-ins: OCSP requests made
 * by `openssl ocsp -reqout`, logged as each source format writes them
 * (nginx combined, CloudFront standard and real-time, Boulder's responder),
 * sent in Firehose's documented event format to the real handler, its Ok
 * records put through moto's Firehose into the stage's raw OCSP bucket (moto
 * runs no processors, so the test hands Firehose what the function answered),
 * then queried on Trino through the stage's own tables and views. The
 * expected counts are the requests the test made per certificate; one
 * invocation's output is delivered twice (Firehose retries a batch) and
 * still counts once.
 */
describe('Firehose transformation into S3, queried on Trino', () => {
  let stage: StageOnStandins;
  let issuer: Issuer;
  let leaves: Leaf[];
  const fixture = new OpensslFixture();
  const query = async (text: string) => (await stage.runner.run(text)).rows;

  /** The handler as Firehose invokes it, with the stage's transformation set to `setting`. */
  async function transform(
    stream: string,
    setting: TransformationSetting,
    records: (string | string[])[],
  ) {
    process.env.POWERTOOLS_SERVICE_NAME = 'logvault-ingest-transform';
    process.env.LOGVAULT_STAGE = stage.config.stage;
    process.env.TRANSFORMATIONS = JSON.stringify({ ocsp: setting });
    const event = firehoseEvent(stream, records);
    return handler(event);
  }

  async function deliver(stream: string, response: FirehoseTransformationResponse) {
    const ok = response.records.filter((r) => r.result === 'Ok');
    const result = await stage.clients.firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: stream,
        Records: ok.map((r) => ({ Data: Buffer.from(r.data, 'base64') })),
      }),
    );
    expect(result.FailedPutCount).toBe(0);
  }

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    issuer = fixture.issuer('transform-e2e-ca', 'rsa');
    leaves = ['0c0ffee1', '0c0ffee2', '0c0ffee3'].map((s) => fixture.leaf(issuer, s));
    const [a, b, c] = leaves;
    const rA = fixture.request(issuer, [a]);
    const rAB = fixture.request(issuer, [a, b], { sha256: true, nonce: true });
    const rC = fixture.request(issuer, [c]);
    const stream = `logvault-${stage.config.stage}-ocsp-9`;
    await stage.clients.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: stream,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: `arn:aws:s3:::${stage.buckets.ocspRawLogs}`,
          RoleARN: 'arn:aws:iam::123456789012:role/firehose-transform',
          Prefix: 'ocsp/',
        },
      }),
    );
    const now = Date.now() - 60_000;
    const iso = new Date(now).toISOString();
    const b64 = (der: Buffer) => der.toString('base64');

    // nginx: one line per record (Fluent Bit, Vector), plus a packed record (Kinesis Agent).
    const nginx = {
      format: 'combined' as const,
      options: { responderId: 'web-1', region: 'eu-west-1' },
    };
    const escaped = nginxOcspGet(rAB, now).replace('GET /', 'GET //');
    const nginxOut = await transform(stream, nginx, [
      nginxOcspGet(rA, now),
      nginxOcspGet(rA, now, '2001:db8::5'),
      [
        nginxOcspGet(rA, now, '203.0.113.50'),
        escaped,
        nginxOcspGet(rC, now),
        nginxOcspGet(rC, now),
      ],
    ]);
    await deliver(stream, nginxOut);
    await deliver(stream, nginxOut); // a retried batch: the same records again

    // CloudFront standard: header and lines packed in one record, as a log file's lines arrive.
    const fields =
      'date time x-edge-location sc-bytes c-ip cs-method cs-uri-stem sc-status cs(User-Agent) time-taken';
    const cfLine = (der: Buffer) =>
      [
        iso.slice(0, 10),
        iso.slice(11, 19),
        'FRA56-P1',
        '1262',
        '198.51.100.7',
        'GET',
        `/${encodeURIComponent(b64(der))}`,
        '200',
        'curl/8.5.0',
        '0.002',
      ].join('\t');
    await deliver(
      stream,
      await transform(stream, { format: 'cloudfront', options: { region: 'global' } }, [
        ['#Version: 1.0', `#Fields: ${fields}`, cfLine(rA), cfLine(rC)],
      ]),
    );

    // CloudFront real-time: one record per request, as Kinesis Data Streams delivers them.
    const rtFields = [
      'timestamp',
      'c-ip',
      'cs-method',
      'cs-uri-stem',
      'sc-status',
      'sc-bytes',
      'time-taken',
      'cs-user-agent',
      'x-edge-location',
    ];
    const rtLine = (der: Buffer, ip: string) =>
      [
        (now / 1000).toFixed(3),
        ip,
        'GET',
        `/${encodeURIComponent(b64(der))}`,
        '200',
        '900',
        '0.001',
        'curl/8.5.0',
        'FRA56-P1',
      ].join('\t');
    await deliver(
      stream,
      await transform(
        stream,
        { format: 'cloudfront-realtime', options: { region: 'global', fields: rtFields } },
        [rtLine(rAB, '198.51.100.8'), rtLine(rAB, '198.51.100.9')],
      ),
    );

    // Boulder's OCSP responder: a POST body, checksum computed by the test.
    const responder = boulderLine(
      `Received request: ${JSON.stringify({ ip: '192.0.2.4:4431', ua: 'curl/8.5.0', method: 'POST', path: '/', body: b64(rC), took: 2_000_000, headers: { Etag: ['"x"'] } })}`,
      { program: 'ocsp-responder', ts: iso.replace('Z', '+00:00') },
    );
    await deliver(stream, await transform(stream, { format: 'boulder', options: {} }, [responder]));
  }, 600_000);

  afterAll(() => fixture.dispose());

  it('the per-certificate view counts the requests made, from every format, each once', async () => {
    const [a, b, c] = leaves;
    const sha1 = issuer.keyHash.sha1;
    const sha256 = issuer.keyHash.sha256;
    // nginx rA x3 + CloudFront rA; rAB (SHA-256) nginx x1 + real-time x2; rC nginx x2 + CloudFront + Boulder.
    const expected = [
      [a.serial, sha1, '4'],
      [a.serial, sha256, '3'],
      [b.serial, sha256, '3'],
      [c.serial, sha1, '4'],
    ];
    const rows = await query(
      `SELECT serial, issuer_key_hash, sum(requests) FROM ocsp_cert_volume_daily GROUP BY 1, 2`,
    );
    expect(sorted(rows)).toEqual(sorted(expected));
  }, 300_000);

  it('stores the retried batch twice, and the view ignores the copies by line_id', async () => {
    const [[stored, distinct]] = await query(
      `SELECT count(*), count(DISTINCT line_id) FROM ocsp_requests`,
    );
    expect([Number(stored), Number(distinct)]).toEqual([14 + 7, 14]);
  }, 300_000);
});
