import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, GetObjectLegalHoldCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { hourPath } from '../../core/time/hours';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HoldDeps } from '../../core/holds/deps';
import { GetTableCommand } from '@aws-sdk/client-glue';
import { casePrefix, extractTableName } from '../../core/naming';
import type { SubmittingQueryRunner } from '../../core/query/runner';
import { HoldRegistry } from '../../core/holds/registry';
import { listAllVersionIds, listVersions } from '../../core/holds/s3-objects';
import { applyHold, holdStatus, releaseHold } from '../../core/holds';
import type { OcspRequestRecord } from '../../core/ingest/schemas/ocsp-request';
import { generateTraffic, landAsFirehose } from '../support/analytics-fixture';
import { StageOnStandins, loadStageOnStandins } from '../support/trino';

const HOUR = 3_600_000;

/** A runner that forwards every call to `real` (a class instance, so no spread). */
const delegate = (real: SubmittingQueryRunner): SubmittingQueryRunner => ({
  engine: real.engine,
  run: (query, options) => real.run(query, options),
  submit: (query, options) => real.submit(query, options),
  results: (id) => real.results(id),
  status: (id) => real.status(id),
  stop: (id) => real.stop(id),
});

/** One record as a comparable line: the stored fields, in a fixed order. */
const line = (r: Pick<OcspRequestRecord, 'ts' | 'client_ip' | 'serial' | 'status'>) =>
  `${r.ts} ${r.client_ip} ${r.serial} ${r.status}`;

describe('OCSP investigation extracts (Trino over moto, CTAS with external_location)', () => {
  let stage: StageOnStandins;
  let deps: HoldDeps;
  let traffic: OcspRequestRecord[];
  const now = new Date();
  const start = new Date(Math.floor((now.getTime() - 2 * 86_400_000) / HOUR) * HOUR);

  const request = (caseId: string, from: Date, to: Date, filters = {}) => ({
    case: {
      caseId,
      dataset: 'ocsp' as const,
      scope: { from: from.toISOString(), to: to.toISOString(), filters },
      reason: 'abuse investigation',
      ticket: 'SEC-88',
      requester: 'oncall@example.com',
    },
    dryRun: false,
  });

  /** The records in `objects`, each of which must be under legal hold, as sorted lines. */
  async function heldLines(objects: { key: string; versionId: string }[]): Promise<string[]> {
    const bucket = stage.buckets.investigations;
    const extracted: string[] = [];
    for (const o of objects) {
      const held = await deps.s3.send(
        new GetObjectLegalHoldCommand({ Bucket: bucket, Key: o.key, VersionId: o.versionId }),
      );
      expect(held.LegalHold?.Status).toBe('ON');
      const body = await deps.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: o.key, VersionId: o.versionId }),
      );
      // Both engines write CTAS JSON gzip-compressed by default.
      const bytes = Buffer.from(await body.Body!.transformToByteArray());
      const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString();
      for (const record of text.split('\n').filter(Boolean))
        extracted.push(line(JSON.parse(record)));
    }
    return extracted.sort();
  }

  beforeAll(async () => {
    stage = await loadStageOnStandins('dev');
    const resource = (prefix: string, type = 'AWS::DynamoDB::Table') =>
      stage.load.resources.find((r) => r.logicalId.startsWith(prefix) && r.type === type)!.detail;
    const table = (prefix: string) => resource(prefix);
    deps = {
      s3: stage.clients.s3,
      registry: new HoldRegistry(
        DynamoDBDocumentClient.from(stage.clients.dynamodb, {
          marshallOptions: { removeUndefinedValues: true },
        }),
        table('HoldsCases'),
        table('HoldsAudit'),
      ),
      buckets: {
        archive: stage.buckets.subscriberArchive,
        investigations: stage.buckets.investigations,
      },
      caseKeys: { kms: stage.clients.kms, keyId: resource('StorageKey', 'AWS::KMS::Key') },
      concurrency: 8,
      largeScopeThreshold: 100_000,
      ocspRawExpiryDays: stage.config.ocsp.rawLogExpiryDays,
      queryRunner: () => stage.runnerIn(stage.jobsWorkGroup),
      glueDatabase: stage.database,
      glue: stage.clients.glue,
      now: () => now,
    };
    traffic = generateTraffic({
      seed: 7,
      start,
      end: new Date(start.getTime() + 12 * HOUR),
      ocspLines: 3000,
      acmeLines: 1,
    }).ocsp;
    await landAsFirehose(stage.clients.s3, stage.buckets.ocspRawLogs, 'ocsp/', traffic, {
      seed: 7,
      stream: 'logvault-dev-ocsp-1',
      perObject: 200,
    });
  }, 240_000);

  it('extracts exactly the matching records, held, and deletes every version at release', async () => {
    const from = new Date(start.getTime() + 2 * HOUR + 17 * 60_000);
    const to = new Date(start.getTime() + 9 * HOUR);
    const inRange = traffic.filter((r) => {
      const ts = Date.parse(r.ts);
      return ts >= from.getTime() && ts < to.getTime();
    });
    const serials = [...new Set(inRange.map((r) => r.serial))].slice(0, 3);
    const expected = traffic
      .filter((r) => inRange.includes(r) && serials.includes(r.serial))
      .map(line)
      .sort();
    expect(expected.length).toBeGreaterThan(5);

    const dry = await applyHold(deps, {
      ...request('OCSP-1', from, to, { serials }),
      dryRun: true,
    });
    expect(dry).toMatchObject({ result: 'dry-run', recordCount: expected.length });

    const outcome = await applyHold(deps, request('OCSP-1', from, to, { serials }));
    expect(outcome).toMatchObject({ result: 'complete', recordCount: expected.length });
    const bucket = stage.buckets.investigations;
    const objects = await listVersions(deps.s3, bucket, casePrefix('OCSP-1'));
    expect(objects.length).toBe(outcome.objectCount);
    expect(await heldLines(objects)).toEqual(expected);

    const released = await releaseHold(deps, {
      caseId: 'OCSP-1',
      requester: 'oncall@example.com',
      reason: 'closed',
      dryRun: false,
    });
    expect(released).toMatchObject({ result: 'complete', case: { status: 'released' } });
    expect(released.case?.deletedVersions).toBe(objects.length);
    expect(await listAllVersionIds(deps.s3, bucket, casePrefix('OCSP-1'))).toEqual([]);
    const view = await holdStatus(deps, { caseId: 'OCSP-1' });
    expect('audit' in view && view.audit.map((e) => e.event)).toEqual([
      'apply-started',
      expect.stringMatching(/^extract-started:/),
      'objects-held:1',
      'apply-completed',
      'release-started',
      'extracts-deleted',
      'release-completed',
    ]);
  }, 180_000);

  // Finding 2 of issue 12: the old routing, the extract's CTAS through the
  // analysts' enforced workgroup, fails as Athena fails it; nothing is written.
  it("refuses the extract in the analysts' enforced workgroup, as Athena would", async () => {
    const from = new Date(start.getTime() + 2 * HOUR);
    const analysts = { ...deps, queryRunner: () => stage.runnerIn(stage.workGroup) };
    await expect(
      applyHold(analysts, request('OCSP-ENFORCED', from, new Date(from.getTime() + HOUR))),
    ).rejects.toThrow(
      new RegExp(`workgroup ${stage.workGroup} enforces its configuration.*external_location`),
    );
    const bucket = stage.buckets.investigations;
    expect(await listAllVersionIds(deps.s3, bucket, casePrefix('OCSP-ENFORCED'))).toEqual([]);
  }, 120_000);

  it('a release after a crash between the CTAS and its drop drops the extract table and the objects', async () => {
    const from = new Date(start.getTime() + 3 * HOUR);
    const caseId = 'OCSP-CRASH';
    const tableName = extractTableName(caseId);
    // Injected fault: the apply dies right after its CTAS (drop, CTAS submitted,
    // then this count), as a Lambda timeout or crash would; no engine fails on demand there.
    let statements = 0;
    const real = stage.runnerIn(stage.jobsWorkGroup);
    const crashing: SubmittingQueryRunner = {
      ...delegate(real),
      run: (query, options) => {
        statements += 1;
        if (statements === 2) throw new Error('injected crash after the CTAS');
        return real.run(query, options);
      },
    };
    await expect(
      applyHold(
        { ...deps, queryRunner: () => crashing },
        request(caseId, from, new Date(from.getTime() + HOUR)),
      ),
    ).rejects.toThrow('injected crash after the CTAS');
    const table = () =>
      stage.clients.glue.send(
        new GetTableCommand({ DatabaseName: stage.database, Name: tableName }),
      );
    expect((await table()).Table?.Name).toBe(tableName);
    const bucket = stage.buckets.investigations;
    expect((await listAllVersionIds(deps.s3, bucket, casePrefix(caseId))).length).toBeGreaterThan(
      0,
    );

    const released = await releaseHold(deps, {
      caseId,
      requester: 'oncall@example.com',
      reason: 'opened by mistake',
      dryRun: false,
    });
    expect(released).toMatchObject({ result: 'complete', case: { status: 'released' } });
    await expect(table()).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    expect(await listAllVersionIds(deps.s3, bucket, casePrefix(caseId))).toEqual([]);
    const view = await holdStatus(deps, { caseId });
    const deleted = 'audit' in view && view.audit.find((e) => e.event === 'extracts-deleted');
    expect(deleted && deleted.details).toMatchObject({
      extractTableDropped: true,
      remainingVersions: 0,
    });
    // Trino no longer knows the table either (its metastore is the same Glue catalog).
    await expect(
      stage.runnerIn(stage.jobsWorkGroup).run(`SELECT count(*) FROM ${tableName}`),
    ).rejects.toThrow(/does not exist|not found/i);
  }, 180_000);

  // Issue 19: a CTAS that outlives the function. Athena reports a query RUNNING
  // for minutes and fails one at its 30-minute DML limit; Trino answers in
  // seconds, so this injected fault reports attempt 1 FAILED and attempt 2
  // RUNNING until released. The adversary is attempt 1's query, still writing
  // into its own prefix after it was superseded.
  it('a CTAS outliving the apply: reruns wait, then hold only the last attempt, never a stale writer', async () => {
    const from = new Date(start.getTime() + 4 * HOUR);
    const to = new Date(from.getTime() + 2 * HOUR);
    const caseId = 'OCSP-SLOW';
    const serials = [traffic.find((r) => Date.parse(r.ts) >= from.getTime())!.serial];
    const expected = traffic
      .filter((r) => Date.parse(r.ts) >= from.getTime() && Date.parse(r.ts) < to.getTime())
      .filter((r) => serials.includes(r.serial))
      .map(line)
      .sort();
    const real = stage.runnerIn(stage.jobsWorkGroup);
    const started: string[] = [];
    const stopped: string[] = [];
    let stillRunning = true;
    const slow: SubmittingQueryRunner = {
      ...delegate(real),
      submit: async (query, options) => {
        const id = await real.submit(query, options);
        started.push(id);
        return id;
      },
      status: async (id) =>
        id === started[0]
          ? { state: 'FAILED', reason: 'injected: Query exhausted resources' }
          : stillRunning
            ? { state: 'RUNNING' }
            : real.status(id),
      stop: async (id) => {
        stopped.push(id);
        await real.stop(id);
      },
    };
    const bucket = stage.buckets.investigations;
    const slowDeps = { ...deps, queryRunner: () => slow, deadline: 0 };
    const apply = (d: HoldDeps) => applyHold(d, request(caseId, from, to, { serials }));
    const plant = (prefix: string, n: number) =>
      deps.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${prefix}stale-${n}`,
          Body: line(traffic[0]!),
        }),
      );

    const failed = await apply(slowDeps);
    expect(failed).toMatchObject({ result: 'incomplete' });
    expect(failed.failures[0]!.error).toMatch(/FAILED: injected/);
    const first = (await deps.registry.getCase(caseId))!.extractQuery!;
    expect(first).toMatchObject({ queryId: started[0], attempt: 1 });
    await plant(first.prefix, 1);

    const running = await apply(slowDeps);
    expect(running).toMatchObject({ result: 'in-progress', retryAfterSeconds: 30 });
    expect(running.message).toMatch(
      new RegExp(
        `query ${started[1]} \\(attempt 2\\) is RUNNING, 0m 00s since.*Rerunning the same apply is safe`,
      ),
    );
    expect(stopped).toEqual([started[0]]);
    const second = (await deps.registry.getCase(caseId))!.extractQuery!;
    expect(second).toMatchObject({ queryId: started[1], attempt: 2 });
    expect(second.prefix).not.toBe(first.prefix);
    // Attempt 1's files were deleted at the restart; its query writes once more.
    await plant(first.prefix, 2);

    expect(await apply(slowDeps)).toMatchObject({ result: 'in-progress' });
    expect(started).toHaveLength(2); // a rerun while the query runs starts none

    stillRunning = false;
    const done = await apply({ ...deps, queryRunner: () => slow });
    expect(done).toMatchObject({ result: 'complete', recordCount: expected.length });
    const held = await listVersions(deps.s3, bucket, casePrefix(caseId));
    expect(held.length).toBe(done.objectCount);
    expect(held.every((o) => o.key.startsWith(second.prefix))).toBe(true);
    expect(await heldLines(held)).toEqual(expected);
    const left = await listAllVersionIds(deps.s3, bucket, casePrefix(caseId));
    expect(left.filter((v) => !v.key.startsWith(second.prefix))).toEqual([]);
  }, 180_000);

  it('extracts records that arrived after --to by up to the margin, by their own time', async () => {
    const hour = start.getTime() + 10 * HOUR;
    const serial = 'feedbeef01';
    const minute = 60_000;
    const record = (at: number) => ({ ...traffic[0]!, ts: new Date(at).toISOString(), serial });
    // Filed under the arrival hour H+n, as Firehose does; the scope is [H:50, H+1:00).
    const land = (hoursLate: number, ...at: number[]) =>
      stage.clients.s3.send(
        new PutObjectCommand({
          Bucket: stage.buckets.ocspRawLogs,
          Key: `ocsp/${hourPath(new Date(hour + hoursLate * HOUR))}/logvault-dev-ocsp-1-late-${hoursLate}`,
          Body: at.map((t) => JSON.stringify(record(t))).join('\n') + '\n',
        }),
      );
    await land(1, hour + 58 * minute);
    await land(2, hour + 59 * minute, hour + 65 * minute); // the second is after `to`
    await land(3, hour + 59.5 * minute); // more than 2 h late: outside the margin
    const outcome = await applyHold(
      deps,
      request('OCSP-LATE', new Date(hour + 50 * minute), new Date(hour + HOUR), {
        serials: [serial],
      }),
    );
    expect(outcome).toMatchObject({ result: 'complete', recordCount: 2 });
  }, 180_000);

  it('refuses a range the raw bucket has already expired, and leaves no case', async () => {
    const from = new Date(now.getTime() - 6 * 86_400_000);
    await expect(
      applyHold(deps, request('OCSP-OLD', from, new Date(from.getTime() + HOUR))),
    ).rejects.toThrow(
      /raw OCSP logs are deleted after 5 days: records before .* may already be gone/,
    );
    expect(await deps.registry.getCase('OCSP-OLD')).toBeUndefined();
  });
});
