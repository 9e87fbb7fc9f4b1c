import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { loadStageOnStandins, StageOnStandins } from '../support/trino';
import { OcspRequestRecord } from '../../core/ingest/schemas/ocsp-request';
import { stageLockPolicy } from '../../core/sealing/lock-policy';
import { sealObject } from '../../core/sealing/seal';
import { acmeRecord } from '../core/sealing/fixture';

/**
 * The catalog the template defines, loaded onto moto's Glue and read by
 * Trino (Athena engine v3's engine) through partition projection: objects
 * landed as Firehose lands them come back as exactly those rows.
 */

const hourPrefix = (d: Date) => d.toISOString().slice(0, 13).replace(/[-T]/g, '/');

function request(ts: Date, serial: string, n: number): OcspRequestRecord {
  return {
    ts: ts.toISOString(),
    client_ip: `192.0.2.${n}`,
    browser_family: 'Firefox',
    os_family: 'Linux',
    method: 'GET',
    issuer_key_hash: 'a'.repeat(40),
    issuer_name_hash: 'b'.repeat(40),
    hash_alg: 'sha1',
    serial,
    status: n % 2 === 0 ? 'good' : 'revoked',
    responder_id: 'r1',
    region: 'us-east-1',
    latency_ms: n,
    bytes: 500 + n,
    line_id: n.toString(16).padStart(32, '0'),
  };
}

describe('catalog on Trino over moto', () => {
  let stage: StageOnStandins;
  // Two hours inside the projection range (the last rawLogExpiryDays + 1 days).
  const now = new Date();
  const earlier = new Date(now.getTime() - 26 * 3600_000);
  const later = new Date(now.getTime() - 2 * 3600_000);
  const rows = [
    request(earlier, '0a1b', 1),
    request(earlier, '0a1b', 2),
    request(later, 'ff01', 3),
  ];

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    const put = (at: Date, name: string, records: OcspRequestRecord[], gzip: boolean) => {
      const lines = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''));
      return stage.clients.s3.send(
        new PutObjectCommand({
          Bucket: stage.buckets.ocspRawLogs,
          Key: `ocsp/${hourPrefix(at)}/logvault-${stage.config.stage}-ocsp-1-1-${name}${gzip ? '.gz' : ''}`,
          Body: gzip ? gzipSync(lines) : lines,
        }),
      );
    };
    // moto's Firehose writes plain objects; Firehose with GZIP writes `.gz`: both must read.
    await put(earlier, 'a', rows.slice(0, 2), false);
    await put(later, 'b', rows.slice(2), true);
  }, 300_000);

  it('loads the database, the three tables and the workgroup', () => {
    const compute = stage.load.resources.filter((r) => r.stackName.endsWith('-Compute'));
    expect(compute.filter((r) => r.status !== 'created')).toEqual([]);
    const created = compute.map((r) => `${r.type} ${r.detail}`);
    expect(created).toEqual(
      expect.arrayContaining([
        `AWS::Glue::Database ${stage.database}`,
        `AWS::Glue::Table ${stage.database}|ocsp_requests`,
        `AWS::Glue::Table ${stage.database}|acme_events`,
        `AWS::Glue::Table ${stage.database}|ocsp_cert_daily`,
        `AWS::Athena::WorkGroup ${stage.workGroup}`,
      ]),
    );
  });

  it('reads exactly the landed rows, plain and GZIP, through partition projection', async () => {
    const result = await stage.runner.run(
      `SELECT hour, ts, client_ip, serial, status, latency_ms FROM ocsp_requests
       WHERE hour >= '${hourPrefix(earlier)}' ORDER BY ts, client_ip`,
    );
    expect(result.rows).toEqual(
      rows.map((r) => [
        hourPrefix(new Date(r.ts)),
        r.ts,
        r.client_ip,
        r.serial,
        r.status,
        String(r.latency_ms),
      ]),
    );
    expect(result.columns.map((c) => c.type)).toEqual([
      'varchar',
      'varchar',
      'varchar',
      'varchar',
      'varchar',
      'bigint',
    ]);
    expect(result.bytesScanned).toBeGreaterThan(0);
  }, 60_000);

  it('prunes to the partitions the filter names', async () => {
    const one = await stage.runner.run(
      `SELECT count(*) FROM ocsp_requests WHERE hour = '${hourPrefix(later)}'`,
    );
    const both = await stage.runner.run(
      `SELECT count(*) FROM ocsp_requests WHERE hour >= '${hourPrefix(earlier)}'`,
    );
    expect(one.rows).toEqual([['1']]);
    expect(both.rows).toEqual([['3']]);
    // Only the named hour's object is read.
    expect(one.bytesScanned).toBeLessThan(both.bytesScanned!);
  }, 60_000);

  it('writes and reads back the Parquet aggregate table', async () => {
    const day = earlier.toISOString().slice(0, 10);
    await stage.runner.run(
      `INSERT INTO ocsp_cert_daily
       SELECT serial, issuer_key_hash, count(*), count(DISTINCT client_ip),
              count_if(status = 'good'), count_if(status = 'revoked'),
              count_if(status = 'unknown'), count_if(status = 'error'),
              count_if(status = 'unrecorded'), '${day}'
       FROM ocsp_requests WHERE hour >= '${hourPrefix(earlier)}' AND substr(ts, 1, 10) = '${day}'
       GROUP BY serial, issuer_key_hash`,
    );
    const result = await stage.runner.run(
      `SELECT day, serial, requests, distinct_clients, status_good, status_revoked
       FROM ocsp_cert_daily WHERE day = '${day}'`,
    );
    expect(result.rows).toEqual([[day, '0a1b', '2', '2', '1', '1']]);
  }, 60_000);

  it('reports progress with state, elapsed time and bytes scanned', async () => {
    const seen: string[] = [];
    await stage.runner.run('SELECT count(*) FROM ocsp_requests', {
      onProgress: (p) => seen.push(p.state),
    });
    expect(seen.at(-1)).toBe('FINISHED');
  }, 60_000);

  it('never reads a quarantined object: sealing puts it outside the ACME table, which a bad object under acme/ would break', async () => {
    const at = new Date(now.getTime() - 3 * 3600_000);
    const seal = {
      s3: stage.clients.s3,
      landingBucket: stage.buckets.subscriberLanding,
      archiveBucket: stage.buckets.subscriberArchive,
      lock: stageLockPolicy(stage.config),
    };
    const land = async (name: string, body: string) => {
      const key = `acme/${hourPrefix(at)}/logvault-${stage.config.stage}-acme-1-1-${name}.gz`;
      await stage.clients.s3.send(
        new PutObjectCommand({ Bucket: seal.landingBucket, Key: key, Body: gzipSync(body) }),
      );
      return sealObject(seal, key);
    };
    const bad = `${JSON.stringify(acmeRecord('good-in-bad', at))}\n{"ts": 17, "account_id": [\n`;
    const sealed = await land('good', `${JSON.stringify(acmeRecord('fine', at))}\n`);
    const quarantined = await land('bad', bad);
    expect(sealed.quarantine).toBeUndefined();
    expect(quarantined.quarantine?.key).toMatch(/^quarantine\/acme\//);

    const count = `SELECT account_id FROM acme_events WHERE hour = '${hourPrefix(at)}'`;
    expect((await stage.runner.run(count)).rows).toEqual([['fine']]);

    // The control: the same bytes where the table reads (as sealing wrote them before quarantine).
    await stage.clients.s3.send(
      new PutObjectCommand({
        Bucket: seal.archiveBucket,
        Key: `acme/${hourPrefix(at)}/logvault-${stage.config.stage}-acme-1-1-unchecked.gz`,
        Body: gzipSync(bad),
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    await expect(stage.runner.run(count)).rejects.toThrow();
  }, 120_000);

  it('names the Trino error for an unknown table', async () => {
    await expect(stage.runner.run('SELECT * FROM no_such_table')).rejects.toThrow(
      /TABLE_NOT_FOUND/,
    );
  });
});
