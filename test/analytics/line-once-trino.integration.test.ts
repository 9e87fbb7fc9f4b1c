import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { logTypes } from '../../core/ingest/schemas';
import { OcspRequestRecord } from '../../core/ingest/schemas/ocsp-request';
import { InputLine, Shipper } from '../../core/ingest/shipper';
import { lineIdOf } from '../../core/ingest/line-id';
import { ocspTraffic } from '../../core/traffic';
import { formatDay } from '../../core/time/days';
import { dayWindow } from '../../core/time/finality';
import { aggregateDay } from '../../core/analytics/daily-aggregation';
import { boundContributions, countPerClient } from '../../core/analytics/publication/bounding';
import { boundedCountsSql } from '../../core/analytics/publication';
import { namedQueries, renderNamedQuery } from '../../core/query/named-query';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';
import { startFaultProxy } from '../support/fault-proxy';
import { expected, landAsFirehose, sorted } from '../support/analytics-fixture';

/**
 * Each line counted once (contract 1): the same file shipped twice with the
 * same source id, and a second file shipped through a proxy that drops
 * connections after moto stored the call (the shipper resends, Firehose holds
 * two copies), give the counts of every line shipped once, in the views, the
 * daily aggregation, the bounded counts and the named queries. Records without
 * a line_id (stored before it existed) count as they are, copies included.
 */
describe('each line counted once, on Trino over moto', () => {
  let stage: StageOnStandins;
  /** Every distinct stored record, plus the null-line_id ones as many times as stored. */
  let once: OcspRequestRecord[];
  let day: string;
  const query = async (text: string) => (await stage.runner.run(text)).rows;
  // C above 1, so a duplicate of a client's request would show in its bounded count.
  const bounds = { perClient: 4, perPrefix: 8, certificatesPerPrefix: 16 };

  /** Ships `lines` as the `ship` command does for a file with `--source-id source`. */
  async function ship(client: FirehoseClient, stream: string, source: string, items: unknown[]) {
    const lines = items.map((item, i) => ({
      lineNo: i + 1,
      bytes: Buffer.from(JSON.stringify(item)),
    }));
    const input: InputLine[] = lines;
    const dead: string[] = [];
    const shipper = new Shipper({
      client,
      streams: [stream],
      type: 'ocsp',
      source,
      sinks: { reject: () => undefined, deadLetter: (lines) => void dead.push(lines) },
      limits: { maxRecordBytes: 8 * 1024, maxBatchRecords: 4, maxBatchBytes: 4 * 1024 * 1024 },
      retry: { maxAttempts: 40, baseDelayMs: 2, maxDelayMs: 40 },
    });
    for (const line of input) await shipper.write(line);
    const stats = await shipper.close();
    expect(dead).toEqual([]);
    const stored = lines.map((line, i) => ({
      ...logTypes.ocsp.input.parse(items[i]),
      line_id: lineIdOf({ source, position: line.lineNo, bytes: line.bytes }, 0),
    })) as OcspRequestRecord[];
    return { stats, stored };
  }

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    const now = Date.now();
    day = formatDay(new Date(now));
    // Inside today and the shipper's plausibility window; moto stores each call under the current hour.
    const start = new Date(Math.max(now - 60 * 60_000, Date.parse(`${day}T00:00:00Z`)));
    const traffic = (seed: number, lines: number) => [
      ...ocspTraffic({ seed, start, end: new Date(now), lines, certificates: 200, clients: 300 }),
    ];
    const stream = `logvault-${stage.config.stage}-ocsp-once`;
    await stage.clients.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: stream,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          BucketARN: `arn:aws:s3:::${stage.buckets.ocspRawLogs}`,
          RoleARN: 'arn:aws:iam::123456789012:role/firehose-once',
          Prefix: 'ocsp/',
        },
      }),
    );
    const file = traffic(11, 1_500);
    const first = await ship(stage.clients.firehose, stream, 'test:file-a', file);
    const again = await ship(stage.clients.firehose, stream, 'test:file-a', file);
    expect(again.stored).toEqual(first.stored);
    const proxy = await startFaultProxy(
      process.env.AWS_ENDPOINT_URL!,
      { dropAfter: 0.3 },
      { seed: 5 },
    );
    try {
      const resent = await ship(
        new FirehoseClient({ endpoint: proxy.url, maxAttempts: 1 }),
        stream,
        'test:file-b',
        traffic(12, 1_000),
      );
      expect(proxy.injected.dropAfter).toBeGreaterThan(5);
      expect(resent.stats.possibleDuplicates).toBeGreaterThan(0);
      // Stored before line_id existed: two identical records, both counted.
      const legacy = traffic(13, 20).map((line) => logTypes.ocsp.input.parse(line));
      const legacyTwice = [...legacy, ...legacy] as OcspRequestRecord[];
      await landAsFirehose(stage.clients.s3, stage.buckets.ocspRawLogs, 'ocsp/', legacyTwice, {
        seed: 3,
        stream: `logvault-${stage.config.stage}-ocsp-legacy`,
        maxLagSeconds: 1,
      });
      once = [...first.stored, ...resent.stored, ...legacyTwice];
    } finally {
      await proxy.close();
    }
  }, 600_000);

  it('stores more records than lines: the duplicates are there to be ignored', async () => {
    const [[stored, distinct]] = await query(
      `SELECT count(*), count(DISTINCT line_id) FROM ocsp_requests`,
    );
    expect(Number(distinct)).toBe(2_500);
    expect(Number(stored)).toBeGreaterThan(1_500 + 2_500 + 40);
  });

  it('the per-certificate and hourly views count each line once', async () => {
    expect(sorted(await query(`SELECT * FROM ocsp_cert_volume_daily`))).toEqual(
      sorted(expected.certVolumeDaily({ ocsp: once, acme: [] })),
    );
    expect(sorted(await query(`SELECT * FROM ocsp_cert_volume_hourly`))).toEqual(
      sorted(expected.certVolumeHourly({ ocsp: once, acme: [] })),
    );
    expect(sorted(await query(`SELECT * FROM ocsp_hourly_totals`))).toEqual(
      sorted(expected.hourlyTotals({ ocsp: once, acme: [] })),
    );
    // Views bound no arrival hour: each reads every projected partition of the raw bucket.
  }, 300_000);

  it('the daily aggregation counts each line once', async () => {
    const result = await aggregateDay(
      day,
      { runner: stage.runner, s3: stage.clients.s3 },
      { aggregatesBucket: stage.buckets.aggregates, rawLogExpiryDays: 5, partialToday: true },
    );
    expect(result.requests).toBe(once.length);
    const rows = await query(
      `SELECT serial, issuer_key_hash, requests, distinct_clients, status_good, status_revoked,
              status_unknown, status_error, status_unrecorded FROM ocsp_cert_daily WHERE day = '${day}'`,
    );
    expect(sorted(rows)).toEqual(sorted(expected.certDaily({ ocsp: once, acme: [] }, day)));
  });

  it('the bounded counts of the publication count each line once', async () => {
    const rows = await query(boundedCountsSql(day, dayWindow(day), bounds).text);
    const reference = boundContributions(countPerClient(once).rows, bounds);
    expect(sorted(rows)).toEqual(
      sorted(reference.map((r) => [r.serial, r.issuerKeyHash, String(r.boundedRequests)])),
    );
  });

  it('the named queries count each line once', async () => {
    const queries = namedQueries();
    const perHour = await query(
      renderNamedQuery(queries.get('ocsp-requests-per-hour')!, { date: day }),
    );
    expect(perHour.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(once.length);
    const serial = once[0].serial;
    const volume = await query(
      renderNamedQuery(queries.get('cert-volume')!, { date: day, serial }),
    );
    expect(volume.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(
      once.filter((r) => r.serial === serial).length,
    );
  });
});
