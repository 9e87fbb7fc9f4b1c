import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formats } from '../../core/ingest/formats';
import { LINE_ID_PATTERN } from '../../core/ingest/line-id';
import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { DeliveredLogType, deliveryDestinations } from '../../core/naming';
import { addedLines, FirehoseSandbox, logvaultSandbox } from '../support/firehose-sandbox';
import { logvault } from '../support/cli';
import { LOCAL_ACCOUNT, uniqueSuffix, useStandins } from '../support/standins';

/**
 * `logvault ship --format`: each format's sample (docs/formats.md, the
 * formats' own `sample`) moved to an hour ago, shipped by the CLI's own entry
 * (in this process; the `--help` test runs bin/logvault) to moto's Firehose,
 * read back from the S3 objects it delivered.
 */
const clients = useStandins();
const bin = join(__dirname, '../../bin/logvault');
const root = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'logvault-ship-formats-'));

/** `logvault ship` in this process (test/support/cli.ts); `--help` below runs the real binary. */
const ship = (args: string[]) => logvault(['ship', ...args]);

// An hour ago, whole seconds, inside the OCSP plausibility window (24 hours).
const at = new Date(Math.floor((Date.now() - 3600_000) / 1000) * 1000);
const iso = at.toISOString().slice(0, 19); // 2026-11-28T10:00:00
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const timeLocal = `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${iso.slice(11)} +0000`;

/** The sample lines with their 2026-11-28T10:00:00Z stamp moved to `at`. */
const samples: Record<keyof typeof formats, string[]> = {
  boulder: formats.boulder.sample.lines.map((l) => l.replace('2026-11-28T10:00:00', iso)),
  combined: formats.combined.sample.lines.map((l) =>
    l.replace('28/Nov/2026:10:00:00 +0000', timeLocal),
  ),
  cloudfront: formats.cloudfront.sample.lines.map((l) =>
    l.replace('2026-11-28\t10:00:00', `${iso.slice(0, 10)}\t${iso.slice(11)}`),
  ),
  'cloudfront-realtime': formats['cloudfront-realtime'].sample.lines.map((l) =>
    l.replace('1795860000.123', `${at.getTime() / 1000}.123`),
  ),
};

const expected = {
  ocsp: { serial: 'a1b2c3', hash_alg: 'sha1', client_ip: '198.51.100.23', status: 'unrecorded' },
  acme: { account_id: '1234', order_id: '5678', source_ip: '203.0.113.9', endpoint: 'order' },
};

let box: FirehoseSandbox;
let acmeBox: FirehoseSandbox;
beforeAll(async () => {
  // Each stream delivers where logvault lands its type, as the shipper requires.
  box = await logvaultSandbox(clients, 'ship-formats-ocsp', 'ocsp');
  acmeBox = await logvaultSandbox(clients, 'ship-formats-acme', 'acme');
});
afterAll(() => Promise.all([box.remove(), acmeBox.remove()]));

describe('logvault ship --format', () => {
  it.each(Object.keys(samples) as (keyof typeof formats)[])(
    '%s: the sample ships and the S3 objects hold its records with line ids',
    async (name) => {
      const type = formats[name].logTypes[0];
      const target = type === 'acme' ? acmeBox : box;
      const file = join(dir, `${name}.log`);
      writeFileSync(file, samples[name].join('\n') + '\n');
      const before = await target.readLines();
      const options = JSON.stringify(formats[name].sample.options);
      const { code, stdout, stderr } = await ship([
        ...['--type', type, '--stream', target.stream, '--format', name],
        ...['--format-options', options, file],
      ]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(stdout)).toMatchObject({ format: name, delivered: 1, rejected: 0 });
      const stored = addedLines(before, await target.readLines()).map((l) => JSON.parse(l));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ ...expected[type], ts: expect.stringContaining(iso) });
      expect(stored[0].line_id).toMatch(LINE_ID_PATTERN);
      // Re-shipping the same file gives the same id (contract 1).
      await ship([
        '--type',
        type,
        '--stream',
        target.stream,
        '--format',
        name,
        '--format-options',
        options,
        file,
      ]);
      const both = addedLines(before, await target.readLines()).map((l) => JSON.parse(l));
      expect(both.map((r) => r.line_id)).toEqual([stored[0].line_id, stored[0].line_id]);
    },
  );

  it('rejects a line the parser cannot read, with the parser reason, owner-only file', async () => {
    const file = join(dir, 'bad-combined.log');
    writeFileSync(file, `${samples.combined[0]}\nnot a combined log line\n`);
    const { code, stdout } = await ship([
      ...['--type', 'ocsp', '--stream', box.stream, '--format', 'combined'],
      ...['--format-options', JSON.stringify(formats.combined.sample.options), file],
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ delivered: 1, rejected: 1 });
    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8').trim().split('\n');
    expect(JSON.parse(rejects[0])).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/^unparseable: /),
    });
    expect(statSync(`${file}.rejects.ndjson`).mode & 0o777).toBe(0o600);
  });

  it('exits 2 naming every format for an unknown one, and names a missing option', async () => {
    const file = join(dir, 'any.log');
    writeFileSync(file, samples.combined[0] + '\n');
    const unknown = await ship([
      '--type',
      'ocsp',
      '--stream',
      box.stream,
      '--format',
      'syslog',
      file,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--format must be one of json, boulder, combined, cloudfront, cloudfront-realtime',
    );
    const missing = await ship([
      '--type',
      'ocsp',
      '--stream',
      box.stream,
      '--format',
      'combined',
      file,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--format combined: option responderId: .*set it: responder_id/);
  });

  it('--help lists the formats with what each yields', async () => {
    const { stdout, stderr } = await promisify(execFile)(bin, ['ship', '--help'], { cwd: root });
    const help = stdout + stderr;
    for (const name of Object.keys(formats))
      expect(help).toContain(`${name}: ${formats[name as keyof typeof formats].description}`);
    expect(help).toContain('json|boulder|combined|cloudfront|cloudfront-realtime');
  });
});

describe('logvault ship refuses the wrong retention class', () => {
  it('OCSP records aimed at an acme stream: exit 2 naming the stream and the fix, nothing sent', async () => {
    const file = join(dir, 'ocsp-to-acme.log');
    writeFileSync(file, samples.combined[0] + '\n');
    const { code, stderr } = await ship([
      ...['--type', 'ocsp', '--stream', acmeBox.stream, '--format', 'combined'],
      ...['--format-options', JSON.stringify(formats.combined.sample.options), file],
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `ocsp record refused for stream ${acmeBox.stream}, which holds acme records`,
    );
    expect(stderr).toContain('send ocsp records to a ocsp stream, e.g. logvault-<stage>-ocsp-1');
    expect(await acmeBox.readLines()).not.toContainEqual(expect.stringContaining('a1b2c3'));
  });

  it('ACME events aimed at a stream named for OCSP: exit 2 before any AWS call', async () => {
    const file = join(dir, 'acme-to-ocsp.log');
    writeFileSync(file, samples.boulder[0] + '\n');
    const before = (await box.readLines()).length;
    const wrong = await ship([
      '--type',
      'acme',
      '--stream',
      box.stream,
      '--format',
      'boulder',
      file,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      `acme record refused for stream ${box.stream}, which holds ocsp`,
    );
    expect((await box.readLines()).length).toBe(before);
  });

  /** A stream named `name-<unique>` that delivers into `into`'s bucket with `type`'s prefixes. */
  async function streamInto(name: string, into: FirehoseSandbox, type: DeliveredLogType) {
    const stream = `${name}-${uniqueSuffix()}`;
    await clients.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: stream,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: `arn:aws:s3:::${into.bucket}`,
          RoleARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/firehose-sandbox`,
          Prefix: deliveryDestinations[type].prefix,
          ErrorOutputPrefix: deliveryDestinations[type].errorPrefix,
        },
      }),
    );
    made.push(stream);
    return stream;
  }
  const made: string[] = [];
  afterAll(() =>
    Promise.all(
      made.map((s) =>
        clients.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: s })),
      ),
    ),
  );

  it('a stream named for OCSP that delivers into the ACME landing bucket: exit 2, nothing lands', async () => {
    const misleading = await streamInto('edge-ocsp-firehose', acmeBox, 'acme');
    const file = join(dir, 'ocsp-to-edge.log');
    writeFileSync(file, samples.combined[0] + '\n');
    const before = (await acmeBox.readLines()).length;
    const { code, stderr } = await ship([
      ...['--type', 'ocsp', '--stream', misleading, '--format', 'combined'],
      ...['--format-options', JSON.stringify(formats.combined.sample.options), file],
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `ocsp record refused for stream ${misleading}: it delivers into bucket ${acmeBox.bucket}, ` +
        'which holds acme records (another retention class); send ocsp records to a stream ' +
        "that delivers into the stage's ocsp-raw bucket under ocsp/",
    );
    expect((await acmeBox.readLines()).length).toBe(before);
  });

  it('a stream named for ACME that delivers into the OCSP bucket: exit 2, nothing lands', async () => {
    const misleading = await streamInto('edge-acme', box, 'ocsp');
    const file = join(dir, 'acme-to-edge.log');
    writeFileSync(file, samples.boulder[0] + '\n');
    const before = (await box.readLines()).length;
    const { code, stderr } = await ship([
      ...['--type', 'acme', '--stream', misleading, '--format', 'boulder', file],
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `acme record refused for stream ${misleading}: it delivers into bucket ${box.bucket}, which holds ocsp records`,
    );
    expect((await box.readLines()).length).toBe(before);
  });

  it('a stream whose name says nothing ships when it delivers where its type lands', async () => {
    const plain = await streamInto('edge-firehose', box, 'ocsp');
    const file = join(dir, 'ocsp-to-plain.log');
    writeFileSync(file, samples.combined[0] + '\n');
    const before = (await box.readLines()).length;
    const { code, stdout } = await ship([
      ...['--type', 'ocsp', '--stream', plain, '--format', 'combined'],
      ...['--format-options', JSON.stringify(formats.combined.sample.options), file],
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ delivered: 1 });
    expect((await box.readLines()).length).toBe(before + 1);
  });

  it('a Boulder file shipped as ocsp rejects its ACME line to the reject file, whole', async () => {
    const file = join(dir, 'boulder-mixed.log');
    writeFileSync(file, samples.boulder[0] + '\n');
    const before = (await box.readLines()).length;
    const { code, stdout } = await ship([
      '--type',
      'ocsp',
      '--stream',
      box.stream,
      '--format',
      'boulder',
      file,
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ delivered: 0, rejected: 1 });
    const [rejected] = readFileSync(`${file}.rejects.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected).toEqual({
      line: 1,
      reason:
        'acme record, and this run ships ocsp records: ship the file again with --type acme to a acme stream',
      input: samples.boulder[0],
    });
    expect((await box.readLines()).length).toBe(before);
  });
});
