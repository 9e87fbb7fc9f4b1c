import type { Context } from 'aws-lambda';
import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetDatabasesCommand, GetTablesCommand } from '@aws-sdk/client-glue';
import { GetObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handler as applyHandler } from '../../lambdas/hold-apply/index';
import { handler as releaseHandler } from '../../lambdas/hold-release/index';
import { personalDataReport } from '../../core/analytics/personal-data';
import { HoldRegistry } from '../../core/holds/registry';
import { objectVersionPages } from '../../core/s3/pagers';
import { formatDay } from '../../core/time/days';
import type { OcspRequestRecord } from '../../core/ingest/schemas/ocsp-request';
import { generateTraffic, landAsFirehose } from '../support/analytics-fixture';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';
import { stageNamePrefix } from '../../core/naming';

/**
 * Issue 17's proof: an OCSP investigation filtered by an IP and a CIDR, and
 * a personal-data report for an IP, then release. Afterwards every place the
 * stand-ins keep is searched for the identifiers. The only places allowed to
 * hold them are the data itself, named in docs/holds.md ("Forgetting a
 * case"): the raw OCSP objects (deleted by lifecycle in < 7 days) and the
 * subscriber archive (kept 7 years by policy). The trail still answers which
 * objects the case held, and when.
 */

const HOUR = 3_600_000;
/** Documentation ranges the traffic generator never produces, so any hit is this test's. */
const CASE_IP = '203.0.113.77';
const CASE_CIDR = '198.51.100.0/25';
const CIDR_MEMBER = '198.51.100.23';
const REPORT_IP = '192.0.2.201';
const NEEDLES = [CASE_IP, CASE_CIDR, CIDR_MEMBER, REPORT_IP, '198.51.100.0'];

const context = { getRemainingTimeInMillis: () => 15 * 60_000 } as Context;

const hits = (text: string) => NEEDLES.filter((n) => text.includes(n));

describe('a closed investigation and a finished report leave no identifier behind', () => {
  let stage: StageOnStandins;
  let registry: HoldRegistry;
  const written: string[] = [];
  const now = new Date();
  const start = new Date(Math.floor((now.getTime() - 30 * HOUR) / HOUR) * HOUR);

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    const resource = (prefix: string, type = 'AWS::DynamoDB::Table') =>
      stage.load.resources.find((r) => r.logicalId.startsWith(prefix) && r.type === type)!.detail;
    registry = new HoldRegistry(
      DynamoDBDocumentClient.from(stage.clients.dynamodb),
      resource('HoldsCases'),
      resource('HoldsAudit'),
    );
    const traffic = generateTraffic({
      seed: 17,
      start,
      end: new Date(start.getTime() + 6 * HOUR),
      ocspLines: 400,
      acmeLines: 60,
    });
    const ocsp: OcspRequestRecord[] = traffic.ocsp.map((r, i) =>
      i % 40 === 0
        ? { ...r, client_ip: CASE_IP }
        : i % 40 === 1
          ? { ...r, client_ip: CIDR_MEMBER }
          : r,
    );
    const acme = traffic.acme.map((e, i) => (i % 10 === 0 ? { ...e, source_ip: REPORT_IP } : e));
    await landAsFirehose(stage.clients.s3, stage.buckets.ocspRawLogs, 'ocsp/', ocsp, {
      seed: 17,
      stream: 'logvault-dev-ocsp-1',
      perObject: 100,
    });
    await landAsFirehose(stage.clients.s3, stage.buckets.subscriberArchive, 'acme/', acme, {
      seed: 17,
      stream: 'logvault-dev-acme-1',
      perObject: 30,
    });
    Object.assign(process.env, {
      POWERTOOLS_SERVICE_NAME: 'logvault-hold-forgetting-test',
      LOGVAULT_STAGE: 'dev',
      HOLD_REGISTRY_TABLE: registry.tableName,
      HOLD_AUDIT_TABLE: registry.auditTableName,
      HOLD_CASE_KEY_ID: resource('StorageKey', 'AWS::KMS::Key'),
      ARCHIVE_BUCKET: stage.buckets.subscriberArchive,
      INVESTIGATIONS_BUCKET: stage.buckets.investigations,
      LOGVAULT_GLUE_DATABASE: stage.database,
      LOGVAULT_QUERY_ENGINE: 'trino',
      ATHENA_WORKGROUP: stage.jobsWorkGroup,
      HOLD_CONCURRENCY: '8',
      OCSP_RAW_EXPIRY_DAYS: String(stage.config.ocsp.rawLogExpiryDays),
      HOLD_LARGE_SCOPE_THRESHOLD: '100000',
    });
    // Every line the run writes: function logs (Powertools writes to stdout) and console output.
    const capture = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
        written.push(String(chunk));
        return original(chunk as string, ...rest);
      }) as typeof stream.write);
    };
    capture(process.stdout);
    capture(process.stderr);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(' '));
      });
  }, 300_000);

  afterAll(() => jest.restoreAllMocks());

  it('extracts by IP and CIDR, reports by IP, releases, and then nothing names them', async () => {
    const caseId = 'FORGET-1';
    const applied = (await applyHandler(
      {
        case: {
          caseId,
          dataset: 'ocsp',
          scope: {
            from: start.toISOString(),
            to: new Date(start.getTime() + 6 * HOUR).toISOString(),
            filters: { ips: [CASE_IP, CASE_CIDR] },
          },
          reason: 'abuse investigation, see ticket',
          ticket: 'SEC-17',
          requester: 'oncall@example.com',
        },
      },
      context,
    )) as { ok: boolean; result: { recordCount: number; objectCount: number } };
    expect(applied).toMatchObject({ ok: true, result: { recordCount: 20 } });
    const heldAt = new Date().toISOString();

    const report = await personalDataReport(
      stage.runner,
      {
        glue: stage.clients.glue,
        s3: stage.clients.s3,
        bucket: stage.buckets.queryResults,
        database: stage.database,
      },
      { ip: REPORT_IP },
      { from: formatDay(start), to: formatDay(new Date(start.getTime() + 8 * HOUR)) },
    );
    expect(report.recordCount).toBe(6);

    const released = (await releaseHandler(
      { caseId, requester: 'oncall@example.com', reason: 'investigation closed' },
      context,
    )) as { ok: boolean };
    expect(released).toMatchObject({ ok: true });

    // Every physical name of the stage starts so (core/naming); other test files load other stages.
    const ofThisStage = (name: string) => name.startsWith(stageNamePrefix(stage.config.stage));

    // DynamoDB: every item of every table of the stage.
    const dynamoHits: string[] = [];
    const { TableNames } = await stage.clients.dynamodb.send(new ListTablesCommand({}));
    for (const table of (TableNames ?? []).filter(ofThisStage)) {
      const { Items } = await stage.clients.dynamodb.send(new ScanCommand({ TableName: table }));
      for (const item of Items ?? [])
        if (hits(JSON.stringify(item)).length > 0)
          dynamoHits.push(`${table}: ${hits(JSON.stringify(item))}`);
    }
    expect(dynamoHits).toEqual([]);

    // S3: every version of every object in every bucket, except the data itself (see above).
    const dataItself = new Set([stage.buckets.ocspRawLogs, stage.buckets.subscriberArchive]);
    const s3Hits: string[] = [];
    let versionsRead = 0;
    // moto's S3 is one namespace for every test file running beside this one
    // (jest workers), and other stages' buckets hold their own files' data:
    // searched here is every bucket this stage's templates made.
    const { Buckets } = await stage.clients.s3.send(new ListBucketsCommand({}));
    const names = new Set([
      ...(Buckets ?? []).map((b) => b.Name!).filter(ofThisStage),
      ...Object.values(stage.buckets),
    ]);
    for (const Name of names) {
      if (dataItself.has(Name)) continue;
      for await (const page of objectVersionPages(stage.clients.s3, Name))
        for (const v of page.Versions ?? []) {
          const body = await stage.clients.s3.send(
            new GetObjectCommand({ Bucket: Name, Key: v.Key!, VersionId: v.VersionId! }),
          );
          const text = `${v.Key} ${await body.Body!.transformToString()}`;
          versionsRead += 1;
          if (hits(text).length > 0) s3Hits.push(`s3://${Name}/${v.Key}#${v.VersionId}`);
        }
    }
    expect(s3Hits).toEqual([]);
    expect(versionsRead).toBeGreaterThan(0);

    // Glue: every table and view definition of every database; no filter or subject table left.
    const glueHits: string[] = [];
    const { DatabaseList } = await stage.clients.glue.send(new GetDatabasesCommand({}));
    for (const db of DatabaseList ?? []) {
      const { TableList } = await stage.clients.glue.send(
        new GetTablesCommand({ DatabaseName: db.Name! }),
      );
      for (const t of TableList ?? []) {
        if (hits(JSON.stringify(t)).length > 0) glueHits.push(`${db.Name}.${t.Name}`);
        if (db.Name === stage.database)
          expect(t.Name).not.toMatch(/^hold_extract_|^personal_data_subject_/);
      }
    }
    expect(glueHits).toEqual([]);

    // Trino's query history: the extract and the report ran, and their text names no one.
    const history = await stage.runner.run('SELECT query FROM system.runtime.queries');
    const texts = history.rows.map((r) => r[0] ?? '');
    expect(texts.some((q) => q.includes('hold_extract__f_forget_1'))).toBe(true);
    expect(texts.some((q) => q.includes('personal_data_subject_'))).toBe(true);
    expect(texts.filter((q) => hits(q).length > 0)).toEqual([]);

    // Every log line the run wrote.
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((line) => hits(line).length > 0)).toEqual([]);

    // The trail still answers which objects the case held, and when; not whom it was about.
    const trail = await registry.auditTrail(caseId);
    const held = trail.filter((e) => e.event.startsWith('objects-held:'));
    const objects = held.flatMap((e) => e.details.objects as string[]);
    expect(objects.length).toBe(applied.result.objectCount);
    for (const ref of objects)
      expect(ref.startsWith(`${stage.buckets.investigations}/cases/${caseId}/`)).toBe(true);
    expect(held[0]!.at <= heldAt).toBe(true);
    expect(trail.map((e) => e.event.split(':')[0])).toEqual([
      'apply-started',
      'extract-started',
      'objects-held',
      'apply-completed',
      'release-started',
      'extracts-deleted',
      'release-completed',
    ]);
    expect(trail.at(-1)!.details).toMatchObject({ caseKey: 'destroyed' });
    expect(await registry.getCaseKey(caseId)).toBeUndefined();
  }, 480_000);
});
