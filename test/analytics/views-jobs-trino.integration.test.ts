import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureStdout, emittedMetrics } from '../support/emf';
import { metricReads, unread } from '../support/metric-reads';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { main } from '../../cli/main';
import { viewDefinitions } from '../../core/analytics/views';
import {
  RANKED_PER_DAY,
  aggregateDay,
  aggregateLayout,
  rankDay,
} from '../../core/analytics/daily-aggregation';
import { RankedDay, rangeTop } from '../../core/analytics/ranking';
import { answerNamedQuery } from '../../core/query/answer-named-query';
import { emptyPrefix } from '../../core/s3/prefix';
import { OutsideRawWindowError, addDays, formatDay, parseDay } from '../../core/time/days';
import { latestFinalDay } from '../../core/time/finality';
import { personalDataReport } from '../../core/analytics/personal-data';
import { namedQueries, renderNamedQuery } from '../../core/query/named-query';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';
import { deployedDailyDefinition, executeDailyWorkflow } from '../support/daily-workflow';
import { AthenaOverTrino } from '../../core/query/athena-over-trino';
import { DailyJobResult } from '../../core/analytics/daily-job';
import { stateMachineName } from '../../core/naming';
import {
  Traffic,
  expected,
  generateTraffic,
  landAsFirehose,
  sorted,
} from '../support/analytics-fixture';

/**
 * Every view and job as the template defines them, run by Trino (Athena
 * engine v3's engine) over three days of realistic traffic landed on moto as
 * Firehose lands it, and checked against aggregates computed in TypeScript.
 */
describe('views and jobs on Trino over moto', () => {
  let stage: StageOnStandins;
  let traffic: Traffic;
  const today = formatDay(new Date());
  const days = [addDays(today, -3), addDays(today, -2), addDays(today, -1)];
  const dayList = days.map((d) => `'${d}'`).join(', ');
  const job = () => ({ aggregatesBucket: stage.buckets.aggregates, rawLogExpiryDays: 5 });
  const deps = () => ({ runner: stage.runner, s3: stage.clients.s3 });
  const query = async (sql: string) => (await stage.runner.run(sql)).rows;

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    traffic = generateTraffic({
      seed: 20261127,
      start: parseDay(days[0]),
      end: parseDay(today),
      ocspLines: 24_000,
      acmeLines: 3_000,
    });
    await landAsFirehose(stage.clients.s3, stage.buckets.ocspRawLogs, 'ocsp/', traffic.ocsp, {
      seed: 1,
      stream: `logvault-${stage.config.stage}-ocsp-1`,
    });
    await landAsFirehose(stage.clients.s3, stage.buckets.subscriberArchive, 'acme/', traffic.acme, {
      seed: 2,
      stream: `logvault-${stage.config.stage}-acme-1`,
    });
    for (const day of days) await aggregateDay(day, deps(), job());
  }, 600_000);

  describe('view definitions', () => {
    it.each(viewDefinitions().map((v) => [v.name, v] as const))(
      '%s declares exactly the columns and types Trino infers from its SQL',
      async (_, view) => {
        // typeof() gives full types (timestamp(3)); the protocol's column types are legacy-rounded.
        // One query: the typeof() columns first, then the SQL's own columns by the names it gives them.
        const types = view.columns.map((c) => `typeof("${c.name}")`).join(', ');
        const inferred = await stage.runner.run(`SELECT ${types}, * FROM (${view.sql}) LIMIT 1`);
        const names = inferred.columns.slice(view.columns.length);
        expect(names.map((c, i) => ({ name: c.name, type: inferred.rows[0][i] }))).toEqual(
          view.columns,
        );
        // Trino refuses to read a view whose stored columns disagree with its SQL.
        const viaView = await stage.runner.run(`SELECT * FROM ${view.name} LIMIT 0`);
        expect(viaView.columns.map((c) => c.name)).toEqual(view.columns.map((c) => c.name));
      },
    );
  });

  describe('views over the raw logs', () => {
    it('ocsp_cert_volume_hourly counts requests, clients and statuses per certificate and hour', async () => {
      const rows = await query(`SELECT * FROM ocsp_cert_volume_hourly`);
      expect(sorted(rows)).toEqual(sorted(expected.certVolumeHourly(traffic)));
    });

    it('ocsp_cert_volume_daily does the same per UTC day', async () => {
      const rows = await query(`SELECT * FROM ocsp_cert_volume_daily`);
      expect(sorted(rows)).toEqual(sorted(expected.certVolumeDaily(traffic)));
    });

    it('ocsp_hourly_totals sums the whole responder fleet per hour', async () => {
      const rows = await query(`SELECT * FROM ocsp_hourly_totals`);
      expect(sorted(rows)).toEqual(sorted(expected.hourlyTotals(traffic)));
    });

    it('acme_activity_daily counts ACME requests per account, endpoint and status', async () => {
      const rows = await query(`SELECT * FROM acme_activity_daily`);
      expect(rows.length).toBeGreaterThan(50);
      expect(sorted(rows)).toEqual(sorted(expected.acmeActivityDaily(traffic)));
    });
  });

  describe('daily aggregation', () => {
    it('materialises each day into ocsp_cert_daily exactly', async () => {
      // One query for the three days; each day is then compared on its own.
      const rows = await query(
        `SELECT day, serial, issuer_key_hash, requests, distinct_clients, status_good, status_revoked,
                status_unknown, status_error, status_unrecorded FROM ocsp_cert_daily
         WHERE day IN (${dayList})`,
      );
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(days));
      for (const day of days) {
        const mine = rows.filter((r) => r[0] === day).map((r) => r.slice(1));
        expect(sorted(mine)).toEqual(sorted(expected.certDaily(traffic, day)));
      }
    });

    it('replaces a day on rerun instead of adding to it', async () => {
      const day = days[1];
      const before = await query(
        `SELECT count(*), sum(requests) FROM ocsp_cert_daily WHERE day = '${day}'`,
      );
      const rerun = await aggregateDay(day, deps(), job());
      expect(rerun.replacedObjects).toBeGreaterThan(0);
      const after = await query(
        `SELECT count(*), sum(requests) FROM ocsp_cert_daily WHERE day = '${day}'`,
      );
      expect(after).toEqual(before);
      expect(rerun.requests).toBe(traffic.ocsp.filter((r) => r.ts.startsWith(day)).length);
    });

    it('refuses a day outside the raw window and changes nothing', async () => {
      const tooOld = addDays(today, -5);
      await expect(aggregateDay(tooOld, deps(), job())).rejects.toThrow(OutsideRawWindowError);
      await expect(aggregateDay(today, deps(), job())).rejects.toThrow(
        /outside the raw OCSP window/,
      );
      const listed = await stage.clients.s3.send(
        new ListObjectsV2Command({
          Bucket: stage.buckets.aggregates,
          Prefix: aggregateLayout.aggregate(tooOld),
        }),
      );
      expect(listed.KeyCount).toBe(0);
    });

    it('ocsp_top_certs_daily ranks the 100 most requested certificates per day', async () => {
      const rows = await query(
        `SELECT * FROM ocsp_top_certs_daily
         WHERE day IN (${dayList}) ORDER BY day, rank`,
      );
      for (const day of days)
        expect(rows.filter((r) => r[0] === day)).toEqual(expected.topCertsDaily(traffic, day));
    });
  });

  describe('named queries for logvault query', () => {
    const named = (name: string, values: Record<string, string>) =>
      query(renderNamedQuery(namedQueries().get(name)!, values));

    it("cert-volume gives one certificate's hours of a day", async () => {
      const day = days[1];
      const top = expected.topCertsDaily(traffic, day, 1)[0];
      const rows = await named('cert-volume', { date: day, serial: top[2] });
      const mine = { ...traffic, ocsp: traffic.ocsp.filter((r) => r.serial === top[2]) };
      const hours = expected
        .certVolumeHourly(mine)
        .filter((row) => row[0].startsWith(day))
        .map((row) => [row[0], ...row.slice(2)]);
      expect(sorted(rows)).toEqual(sorted(hours));
    });

    it('top-certificates ranks a day from the aggregate', async () => {
      const day = days[0];
      const rows = await named('top-certificates', { date: day });
      expect(rows).toEqual(expected.topCertsDaily(traffic, day).map((row) => row.slice(1)));
    });

    it('acme-activity reads one day of the archive', async () => {
      const day = days[2];
      const rows = await named('acme-activity', { date: day });
      const mine = expected.acmeActivityDaily(traffic).filter((row) => row[0] === day);
      expect(sorted(rows)).toEqual(sorted(mine.map((row) => row.slice(1))));
    });
  });

  describe('top certificates over a range, from the daily rankings', () => {
    const range = { from: days[0], to: days[2] };
    const answer = () =>
      answerNamedQuery(
        namedQueries(),
        namedQueries().get('top-certificates-range')!,
        range,
        stage.runner,
      );
    /**
     * The same question over the raw logs, each line once (the view's deduplication).
     * It does not depend on the rankings, so it is asked once for the three tests.
     */
    let raw: Promise<(string | null)[][]> | undefined;
    const rawAnswer = () =>
      (raw ??= query(
        `SELECT serial, issuer_key_hash, sum(requests) AS requests, count(*) AS days_seen
         FROM ocsp_cert_volume_daily WHERE day BETWEEN '${range.from}' AND '${range.to}'
         GROUP BY serial, issuer_key_hash ORDER BY requests DESC, issuer_key_hash, serial LIMIT 100`,
      ));
    /** What the reference rule (core/analytics/ranking.ts) says of the stored rankings. */
    async function reference() {
      const rows = await query(
        `SELECT day, serial, issuer_key_hash, requests FROM ocsp_cert_rank_daily
         WHERE day BETWEEN '${range.from}' AND '${range.to}'`,
      );
      const ranked: RankedDay[] = [...new Set(rows.map((r) => r[0]!))].map((day) => {
        const mine = rows.filter((r) => r[0] === day);
        return {
          day,
          bound: Number(mine.find((r) => r[1] === null)?.[3] ?? 0),
          ranked: mine
            .filter((r) => r[1] !== null)
            .map((r) => ({ serial: r[1]!, issuer_key_hash: r[2]!, requests: Number(r[3]) })),
        };
      });
      return { ranked, top: rangeTop(ranked, days.length) };
    }
    const rerank = async (rankedPerDay: number) => {
      for (const day of days) await rankDay(day, deps(), { ...job(), rankedPerDay });
    };
    const withoutPath = (rows: (string | null)[][]) => rows.map((row) => row.slice(0, 4));
    afterAll(() => rerank(RANKED_PER_DAY));

    // Ranked at 40 first, then once at 300 for the two tests that need it (the
    // missing-day test last, as it deletes a day's ranking): two re-rankings, not three.
    describe('ranked 40 per day', () => {
      beforeAll(() => rerank(40), 600_000);

      it('falls back to the whole aggregate when the bounds cannot prove it', async () => {
        expect((await reference()).top.exact).toBe(false);
        const { result, ran } = await answer();
        expect(ran.map((r) => r.name)).toEqual([
          'top-certificates-range',
          'top-certificates-range-full',
        ]);
        expect(ran[0]!.result.rows).toEqual([
          [null, null, null, null, expect.stringMatching(/^fallback/)],
        ]);
        expect(new Set(result.rows.map((row) => row[4]))).toEqual(new Set(['ocsp_cert_daily']));
        expect(withoutPath(result.rows)).toEqual(await rawAnswer());
      });
    });

    describe('ranked 300 per day', () => {
      beforeAll(() => rerank(300), 600_000);

      it('answers exactly from the rankings alone when their bounds prove it', async () => {
        const { ranked, top } = await reference();
        // Certificates were left out, so the bounds did the proving.
        expect(ranked.every((d) => d.bound > 0)).toBe(true);
        expect(top.exact).toBe(true);
        const { result, ran } = await answer();
        expect(ran.map((r) => r.name)).toEqual(['top-certificates-range']);
        expect(new Set(result.rows.map((row) => row[4]))).toEqual(
          new Set(['ocsp_cert_rank_daily']),
        );
        expect(withoutPath(result.rows)).toEqual(await rawAnswer());
        expect(withoutPath(result.rows)).toEqual(
          top.rows.map((r) => [
            r.serial,
            r.issuer_key_hash,
            String(r.requests),
            String(r.days_seen),
          ]),
        );
      });

      it('falls back when a day of the range was never ranked, rather than taking it for empty', async () => {
        await emptyPrefix(
          stage.clients.s3,
          stage.buckets.aggregates,
          aggregateLayout.rank(days[1]),
        );
        const { result, ran } = await answer();
        expect(ran).toHaveLength(2);
        expect(withoutPath(result.rows)).toEqual(await rawAnswer());
      });
    });
  });

  describe('aggregate-daily handler, as the daily workflow runs it', () => {
    const environment = () => ({
      POWERTOOLS_SERVICE_NAME: 'logvault-aggregate-daily',
      LOGVAULT_QUERY_ENGINE: 'trino',
      LOGVAULT_GLUE_DATABASE: stage.database,
      ATHENA_WORKGROUP: stage.jobsWorkGroup,
      LOGVAULT_STAGE: stage.config.stage,
      AGGREGATES_BUCKET: stage.buckets.aggregates,
      RAW_LOG_EXPIRY_DAYS: '5',
      PUBLICATION_PARAMETERS: JSON.stringify(stage.config.analytics.publication),
    });
    /** The synthesized definition, each task the handler itself (its engine: Athena's API over Trino). */
    const execute = async (athena: AthenaOverTrino) => {
      const { runPhase } = await import('../../lambdas/aggregate-daily/index');
      const now = new Date();
      return executeDailyWorkflow(deployedDailyDefinition(stage), athena, {}, (payload) =>
        runPhase(payload, { runner: athena, s3: stage.clients.s3, now }),
      );
    };

    it('finalises the latest final day when scheduled and publishes the day metric', async () => {
      Object.assign(process.env, environment());
      // The metric is published as EMF on stdout, which CloudWatch Logs turns into a metric.
      const athena = new AthenaOverTrino(stage.runnerIn(stage.jobsWorkGroup));
      const { result: execution, stdout } = await captureStdout(() => execute(athena));
      expect(execution.error).toBeUndefined();
      const result = execution.output as DailyJobResult;
      // At 00:15 UTC and later the day before yesterday is final; yesterday is provisional.
      const finalDay = latestFinalDay(new Date());
      expect(result.final.aggregate.day).toBe(finalDay);
      expect(result.final.aggregate.requests).toBe(
        traffic.ocsp.filter((r) => r.ts.startsWith(finalDay)).length,
      );
      expect(result.final.publication.status).toMatch(/^(already-)?published$/);
      expect(result.final.recordsAfterFinal).toBe(0);
      const metrics = emittedMetrics(stdout).filter(
        (m) =>
          m.namespace === 'Logvault' &&
          m.name === 'DailyAggregatesWritten' &&
          JSON.stringify(m.dimensions) === JSON.stringify({ Stage: stage.config.stage }),
      );
      expect(metrics).toHaveLength(1);
      // Everything the handler emits is read by an alarm or the dashboard of the stage.
      const emitted = emittedMetrics(stdout);
      expect(emitted.map((m) => m.name).sort()).toEqual([
        'AggregatedCertificates',
        'DailyAggregatesWritten',
        'OcspRecordsAfterFinal',
        'OcspRecordsWithoutCertificate',
        'PublicationsRefused',
        'PublishedCertificates',
      ]);
      expect(unread(emitted, metricReads(stage.templates))).toEqual([]);
    });

    // Finding 2 of issue 12: the old routing (the analysts' enforced workgroup)
    // fails locally as it would in Athena; the run above, in the jobs workgroup, passes.
    it("fails in the analysts' enforced workgroup, as Athena fails its CTAS, and reports nothing", async () => {
      Object.assign(process.env, environment(), { ATHENA_WORKGROUP: stage.workGroup });
      const athena = new AthenaOverTrino(stage.runnerIn(stage.workGroup));
      const { result: execution, stdout } = await captureStdout(() => execute(athena));
      expect(execution.status).toBe('FAILED');
      expect(execution.error?.message).toMatch(/step aggregate:load of .* failed 3 times/);
      expect(execution.history).not.toContain('Report');
      expect(emittedMetrics(stdout)).toEqual([]);
    });

    it('refuses a direct invocation, naming the state machine to start instead', async () => {
      Object.assign(process.env, environment());
      const { handler } = await import('../../lambdas/aggregate-daily/index');
      const machine = stateMachineName(stage.config.stage, 'daily-job');
      await expect(handler({ day: days[0] })).rejects.toThrow(
        new RegExp(`runs only as a phase of the state machine ${machine}`),
      );
      await expect(handler({ phase: 'plan', input: { day: 'yesterday' } })).rejects.toThrow(/day/);
    });
  });

  describe('CLI on the local engine', () => {
    let out: string[];
    beforeEach(() => {
      out = [];
      process.env.LOGVAULT_QUERY_ENGINE = 'trino';
      process.env.LOGVAULT_GLUE_DATABASE = stage.database;
      jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    });
    afterEach(() => jest.restoreAllMocks());

    it('logvault aggregate backfills a final day, publishes it once and prints what it did', async () => {
      const day = days[0];
      const code = await main(['aggregate', '--day', day, '--bucket', stage.buckets.aggregates]);
      expect(code).toBe(0);
      const certificates = expected.certDaily(traffic, day).length;
      expect(out.join('\n')).toMatch(
        // The last column: records without certificate (ACME events in the OCSP bucket), none here.
        new RegExp(`${day}\\s+yes\\s+${certificates}\\s+\\d+\\s+(already-)?published\\s+0\\s+0`),
      );
    });

    it('logvault aggregate refuses a day outside the raw window with usage exit code', async () => {
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const code = await main(['aggregate', '--day', addDays(today, -9)]);
      expect(code).toBe(2);
    });

    it('logvault report personal-data writes the JSON document', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'pdr-')), 'report.json');
      const account = traffic.acme[1].account_id;
      const code = await main([
        'report',
        'personal-data',
        '--account',
        account,
        '--from',
        days[0],
        '--to',
        addDays(today, -1),
        '--out',
        file,
        '--bucket',
        stage.buckets.queryResults,
      ]);
      expect(code).toBe(0);
      const report = JSON.parse(readFileSync(file, 'utf8'));
      expect(report.recordCount).toBe(traffic.acme.filter((e) => e.account_id === account).length);
    });
  });

  describe('personal-data report', () => {
    const period = () => ({ from: days[0], to: addDays(today, -1) });
    const subjectStore = () => ({
      glue: stage.clients.glue,
      s3: stage.clients.s3,
      bucket: stage.buckets.queryResults,
      database: stage.database,
    });

    /** The report on traffic.acme[0]'s account, asked once for the two tests that read it. */
    let accountReport: ReturnType<typeof personalDataReport> | undefined;
    const reportOnAccount = () =>
      (accountReport ??= personalDataReport(
        stage.runner,
        subjectStore(),
        { accountId: traffic.acme[0].account_id },
        period(),
      ));

    it('finds every archived record of an ACME account', async () => {
      const account = traffic.acme[0].account_id;
      const report = await reportOnAccount();
      const mine = traffic.acme.filter((e) => e.account_id === account);
      expect(report.recordCount).toBe(mine.length);
      expect(sorted(report.records.map((r) => [JSON.stringify(r.event)]))).toEqual(
        sorted(mine.map((e) => [JSON.stringify(e)])),
      );
      for (const r of report.records)
        expect(r.sourceObject).toMatch(
          new RegExp(`^s3://${stage.buckets.subscriberArchive}/acme/\\d{4}/\\d{2}/\\d{2}/\\d{2}/`),
        );
    });

    it('finds every record where an IP requested or was validated, and describes its fields', async () => {
      const ip = traffic.acme[5].source_ip;
      const report = await personalDataReport(stage.runner, subjectStore(), { ip }, period());
      const mine = traffic.acme.filter((e) => e.source_ip === ip || e.resolved_ips.includes(ip));
      expect(report.records.map((r) => r.event.ts).sort()).toEqual(mine.map((e) => e.ts).sort());
      expect(report).toMatchObject({
        format: 'logvault.personal-data-report/v2',
        subject: { accountId: null, ip },
        source: { dataset: 'acme_events' },
      });
      expect(report.fields.map((f) => f.name)).toContain('source_ip');
    });

    it('includes the OCSP requests from the IP that the raw bucket still keeps, each line once', async () => {
      const perIp = new Map<string, number>();
      for (const r of traffic.ocsp) perIp.set(r.client_ip, (perIp.get(r.client_ip) ?? 0) + 1);
      const [ip] = [...perIp].sort(([, a], [, b]) => b - a)[0]!;
      const report = await personalDataReport(stage.runner, subjectStore(), { ip }, period());
      const mine = traffic.ocsp.filter((r) => r.client_ip === ip);
      expect(mine.length).toBeGreaterThan(1);
      expect(report.ocsp.recordCount).toBe(mine.length);
      expect(report.ocsp.records.map((r) => r.request.line_id).sort()).toEqual(
        mine.map((r) => r.line_id).sort(),
      );
      expect(report.ocsp.fields.map((f) => f.name)).toContain('client_ip');
      for (const r of report.ocsp.records)
        expect(r.sourceObject).toMatch(new RegExp(`^s3://${stage.buckets.ocspRawLogs}/ocsp/`));
      // An account is no IP: the report on an account carries no OCSP records.
      const byAccount = await reportOnAccount();
      expect(byAccount.ocsp.recordCount).toBe(0);
    });

    it('treats quotes in an account id as data, not SQL', async () => {
      const report = await personalDataReport(
        stage.runner,
        subjectStore(),
        { accountId: "x' OR '1'='1" },
        period(),
      );
      expect(report.recordCount).toBe(0);
    });
  });
});
