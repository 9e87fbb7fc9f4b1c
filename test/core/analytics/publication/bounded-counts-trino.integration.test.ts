import { PutObjectCommand } from '@aws-sdk/client-s3';
import { addDays, formatDay, parseDay } from '../../../../core/time/days';
import { OcspRequestRecord } from '../../../../core/ingest/schemas/ocsp-request';
import {
  BoundedCount,
  ContributionBounds,
  PUBLICATION_PARAMETERS,
  boundContributions,
  boundedCountsOf,
  boundedCountsSql,
  countPerClient,
  publicationWindow,
} from '../../../../core/analytics/publication';
import { freshLineId, generateTraffic, landAsFirehose } from '../../../support/analytics-fixture';
import { StageOnStandins, loadStageOnStandins } from '../../../support/trino';

/**
 * The bounding runs in SQL in the daily job; its TypeScript reference is
 * what the tests of the mechanism use. Both must give the same counts: the
 * job's SQL file, rendered as the job renders it, runs on Trino (Athena
 * engine v3's engine) over a realistic day landed as Firehose lands it, plus
 * networks with many addresses, every spelling of an address, invalid
 * addresses and records that arrive after the day's window.
 */
describe('bounding SQL on Trino equals the TypeScript reference', () => {
  let stage: StageOnStandins;
  const today = formatDay(new Date());
  const day = addDays(today, -3);
  const window = publicationWindow(day, PUBLICATION_PARAMETERS.latenessHours);
  let counted: OcspRequestRecord[];

  /** Requests of `day` from networks with many addresses, spelt every way. */
  function crowd(template: OcspRequestRecord, serials: string[]): OcspRequestRecord[] {
    const at = (minute: number) =>
      new Date(parseDay(day).getTime() + minute * 60_000).toISOString();
    const ask = (client_ip: string, serial: string, minute: number, times = 1) =>
      Array.from({ length: times }, (_, i) => ({
        ...template,
        line_id: freshLineId(),
        client_ip,
        serial,
        ts: at(minute + i),
      }));
    return [
      // 40 addresses of one /24 asking about the same certificate 3 times, and 20 others once.
      ...Array.from({ length: 40 }, (_, h) => [
        ...ask(`198.51.100.${h + 1}`, serials[0], 60 + h, 3),
        ...serials.slice(1, 21).flatMap((s, i) => ask(`198.51.100.${h + 1}`, s, 200 + i)),
      ]).flat(),
      // 60 /64s of one /48, each address spelt three ways (one client each).
      ...Array.from({ length: 60 }, (_, n) => {
        const groups = `2001:db8:aaaa:${n.toString(16)}:0:0:0:1`;
        return [
          ...ask(groups, serials[0], 300 + n),
          ...ask(groups.toUpperCase().replace(/:0:0:0:/, '::'), serials[0], 400 + n),
          ...ask(
            groups.replace(/(^|:)([0-9a-f]{1,3})(?=:|$)/g, (_, c, g) => c + g.padStart(4, '0')),
            serials[1],
            500 + n,
          ),
        ];
      }).flat(),
      // The address in three spellings, a mapped IPv4, zero groups in the prefix.
      ...ask('2A06:B318:1215:718:6EA::51F', serials[2], 600, 2),
      ...ask('2a06:b318:1215:0718:06ea:0000:0000:051f', serials[2], 610),
      ...ask('2a06:b318:1215:718:6ea::51f', serials[3], 620),
      ...ask('::ffff:198.51.100.7', serials[0], 630, 2),
      ...ask('2001:db8:0:1::5', serials[4], 640),
      ...ask('2001::1', serials[4], 650),
      ...ask('0:0:5::7', serials[4], 660),
      // Not attributable to anyone: left out by both.
      ...ask('01.2.3.4', serials[0], 700),
      ...ask('fe80::1%eth0', serials[0], 710),
      ...ask('not-an-ip', serials[0], 720),
    ];
  }

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    const traffic = generateTraffic({
      seed: 1616,
      start: parseDay(addDays(day, -1)),
      end: parseDay(addDays(day, 2)),
      ocspLines: 30_000,
      acmeLines: 0,
    });
    const ofDay = traffic.ocsp.filter((r) => r.ts.startsWith(day));
    const popular = [...new Set(ofDay.map((r) => r.serial))];
    const extra = crowd(ofDay[0], popular);
    await landAsFirehose(
      stage.clients.s3,
      stage.buckets.ocspRawLogs,
      'ocsp/',
      [...traffic.ocsp, ...extra],
      {
        seed: 16,
        stream: `logvault-${stage.config.stage}-ocsp-1`,
      },
    );
    // Records of the day that arrive in the first hour after the window: never counted.
    const late = ofDay
      .slice(0, 50)
      .map((r) => ({ ...r, line_id: freshLineId(), client_ip: '203.0.113.77' }));
    const afterWindow = window.arrivedBefore.toISOString().slice(0, 13).replace(/[-T]/g, '/');
    await stage.clients.s3.send(
      new PutObjectCommand({
        Bucket: stage.buckets.ocspRawLogs,
        Key: `ocsp/${afterWindow}/logvault-late-1-${afterWindow.replace(/\//g, '-')}-00-00-late`,
        Body: late.map((r) => JSON.stringify(r)).join('\n') + '\n',
      }),
    );
    counted = [...ofDay, ...extra];
  }, 600_000);

  const sorted = (counts: BoundedCount[]) =>
    [...counts].sort((a, b) =>
      `${a.issuerKeyHash} ${a.serial}`.localeCompare(`${b.issuerKeyHash} ${b.serial}`),
    );

  const unbounded = () =>
    boundContributions(countPerClient(counted).rows, {
      perClient: 1e9,
      perPrefix: 1e9,
      certificatesPerPrefix: 1e9,
    });

  async function both(bounds: ContributionBounds) {
    const { rows } = await stage.runner.run(boundedCountsSql(day, window, bounds).text);
    const perClient = countPerClient(counted);
    return {
      sql: sorted(boundedCountsOf(rows)),
      reference: sorted(boundContributions(perClient.rows, bounds)),
      unattributable: perClient.unattributable,
    };
  }

  it('agrees with the production parameters, where K cuts busy prefixes', async () => {
    const { sql, reference, unattributable } = await both(PUBLICATION_PARAMETERS);
    expect(unattributable).toBe(3);
    expect(sql).toEqual(reference);
    // Not a trivial agreement: the bounds remove thousands of requests.
    expect(sum(unbounded()) - sum(sql)).toBeGreaterThan(2000);
    expect(sql.length).toBeGreaterThan(100);
  });

  it('agrees when each bound binds separately (C = 2, P = 3, K = 5)', async () => {
    const bounds = { perClient: 2, perPrefix: 3, certificatesPerPrefix: 5 };
    const { sql, reference } = await both(bounds);
    expect(sql).toEqual(reference);
    expect(sum(unbounded()) - sum(sql)).toBeGreaterThan(1000);
  });
});

const sum = (counts: BoundedCount[]) => counts.reduce((n, c) => n + c.boundedRequests, 0);
