import { prepareRelease, publishOnce } from '../../core/analytics/publication';
import { BoundedCount } from '../../core/analytics/publication/bounding';
import { parseCsv } from '../../core/csv';
import { glueTables } from '../../core/naming';
import { addDays, formatDay } from '../../core/time/days';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';

/**
 * The Glue table `published_ocsp_cert_daily` over publish/ (issue 16): an
 * analyst in the enforced workgroup reads exactly the rows of a published
 * file, typed, with its header skipped and `_metadata.json` not read as
 * rows; a day not published has no rows. Days are published by the real
 * writer onto moto, and read by Trino through the table the catalog
 * construct synthesizes.
 */
describe('published_ocsp_cert_daily', () => {
  let stage: StageOnStandins;
  const today = formatDay(new Date());
  const day = addDays(today, -4);
  const table = glueTables.publishedOcspCertDaily;
  let expected: string[][];

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    // 30 certificates far above the threshold (published whatever the noise), 10 at zero.
    const counts: BoundedCount[] = Array.from({ length: 40 }, (_, i) => ({
      serial: (0x1000 + i).toString(16),
      issuerKeyHash: (i % 2 ? 'a' : 'b').repeat(40),
      boundedRequests: i < 30 ? 5_000 + i : 0,
    }));
    const release = prepareRelease(day, counts, stage.config.analytics.publication, {
      now: new Date(),
    });
    await publishOnce(stage.clients.s3, stage.buckets.aggregates, release);
    expected = parseCsv(release.body).slice(1);
  }, 180_000);

  it('reads every published row, typed, from the analysts workgroup', async () => {
    const result = await stage.runnerIn(stage.workGroup).run(
      `SELECT day, serial, issuer_key_hash, bounded_requests, release_day FROM ${table}
       WHERE release_day = '${day}' ORDER BY issuer_key_hash, serial`,
    );
    expect(result.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'day varchar',
      'serial varchar',
      'issuer_key_hash varchar',
      'bounded_requests bigint',
      'release_day varchar',
    ]);
    expect(expected.length).toBeGreaterThanOrEqual(30);
    expect(result.rows).toEqual(expected.map((row) => [...row, day]));
  }, 120_000);

  it('has no rows for a day that was not published, and no header or metadata rows', async () => {
    const result = await stage.runner.run(
      `SELECT release_day, count(*), count(bounded_requests) FROM ${table}
       WHERE release_day BETWEEN '${addDays(day, -2)}' AND '${today}'
       GROUP BY release_day`,
    );
    expect(result.rows).toEqual([[day, String(expected.length), String(expected.length)]]);
  }, 120_000);
});
