import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { ListJobsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { S3BatchJobs } from '../../core/holds/batch-jobs';
import type { HoldDeps, HoldOutcome } from '../../core/holds/deps';
import type { ObjectVersion } from '../../core/holds/registry';
import { applyHold, holdStatus, releaseHold } from '../../core/holds';
import {
  HoldFixture,
  coveringCaseNames,
  archiveLegalHold,
  loadHoldFixture,
  putVersion,
} from './hold-fixture';

/**
 * The large-scope path end to end: real S3 Control requests to the local S3
 * Batch Operations stand-in (scripts/standins.sh), which sets the flags on
 * moto; the threshold is lowered to 4 so a handful of objects is "large".
 */
describe('large-scope legal holds through S3 Batch Operations (stand-in, real HTTP)', () => {
  let f: HoldFixture;
  let deps: HoldDeps;
  let control: S3ControlClient;
  const byHour = new Map<number, ObjectVersion[]>();
  const hours = (...hs: number[]) => hs.flatMap((h) => byHour.get(h)!);

  const legalHold = (o: ObjectVersion) => archiveLegalHold(f, o);
  const holdTag = (o: ObjectVersion) => coveringCaseNames(f, o);
  const read = async (key: string) =>
    (
      await f.clients.s3.send(new GetObjectCommand({ Bucket: f.investigations, Key: key }))
    ).Body!.transformToString();
  const request = (caseId: string, fromHour: number, toHour: number) => ({
    case: {
      caseId,
      dataset: 'acme' as const,
      scope: {
        from: `2026-10-05T${String(fromHour).padStart(2, '0')}:00:00Z`,
        to: `2026-10-05T${String(toHour).padStart(2, '0')}:00:00Z`,
        filters: {},
      },
      reason: 'abuse investigation',
      ticket: 'SEC-9',
      requester: 'oncall@example.com',
    },
    dryRun: false,
  });
  /** Invokes again after each in-progress answer, as the CLI does (without its waits). */
  const untilDone = async (run: () => Promise<HoldOutcome>): Promise<HoldOutcome[]> => {
    const answers: HoldOutcome[] = [];
    for (let i = 0; i < 200; i++) {
      const outcome = await run();
      answers.push(outcome);
      if (outcome.result !== 'in-progress') return answers;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`still in progress after 200 invocations: ${JSON.stringify(answers.at(-1))}`);
  };
  const jobsOf = async (caseId: string) =>
    (await control.send(new ListJobsCommand({ AccountId: f.accountId }))).Jobs?.filter((j) =>
      j.Description?.includes(` ${caseId} `),
    ) ?? [];

  beforeAll(async () => {
    f = await loadHoldFixture();
    const endpoint = process.env.LOGVAULT_S3_CONTROL_ENDPOINT;
    if (!endpoint)
      throw new Error(
        'LOGVAULT_S3_CONTROL_ENDPOINT is not set: run `bash scripts/standins.sh start`',
      );
    control = new S3ControlClient({
      region: process.env.AWS_REGION,
      endpointProvider: () => ({ url: new URL(endpoint) }),
    });
    deps = {
      ...f.deps,
      largeScopeThreshold: 4,
      batch: new S3BatchJobs(
        control,
        f.accountId,
        `arn:aws:iam::${f.accountId}:role/logvault-dev-hold-batch`,
      ),
    };
    for (const hour of [8, 9, 10, 11]) {
      const hh = String(hour).padStart(2, '0');
      const stored: ObjectVersion[] = [];
      for (const n of [0, 1, 2]) {
        const key = `acme/2026/10/05/${hh}/logvault-dev-acme-1-${n} batch`;
        const body = `{"ts":"2026-10-05T${hh}:0${n}:00.000Z"}\n`;
        const versionId = await putVersion(f, f.archive, key, body);
        stored.push({ bucket: f.archive, key, versionId, size: body.length });
      }
      byHour.set(hour, stored);
    }
  }, 240_000);

  it('holds a large scope with one job, then tags and counts from its completion report', async () => {
    const answers = await untilDone(() => applyHold(deps, request('BIG-1', 9, 12)));
    const [first] = answers;
    expect(first).toMatchObject({ result: 'in-progress', objectCount: 9, retryAfterSeconds: 2 });
    expect(first!.message).toMatch(
      /S3 Batch Operations job \S+ sets legal hold ON on 9 object versions/,
    );
    expect(answers.at(-1)).toMatchObject({ result: 'complete', objectCount: 9, failures: [] });

    for (const o of hours(9, 10, 11)) {
      expect(await legalHold(o)).toBe('ON');
      expect(await holdTag(o)).toBe('BIG-1');
    }
    for (const o of hours(8)) expect(await legalHold(o)).not.toBe('ON');

    const jobs = await jobsOf('BIG-1');
    expect(jobs).toHaveLength(1);
    const jobId = jobs[0]!.JobId!;
    const manifest = await read('hold-jobs/BIG-1/apply-1/manifest.csv');
    expect(manifest.trim().split('\n').sort()).toEqual(
      hours(9, 10, 11)
        .map((o) => `${f.archive},${encodeURIComponent(o.key)},${o.versionId}`)
        .sort(),
    );
    const report = JSON.parse(
      await read(`hold-jobs/BIG-1/apply-1/report/job-${jobId}/manifest.json`),
    );
    expect(report.Results.length).toBeGreaterThan(0);

    const view = await holdStatus(deps, { caseId: 'BIG-1' });
    expect('audit' in view && view.audit.map((e) => e.event)).toEqual([
      'apply-started',
      `apply-job-submitted:${jobId}`,
      `apply-job-completed:${jobId}`,
      'objects-held:1',
      'apply-completed',
    ]);
    expect('audit' in view && view.audit[2]!.details).toMatchObject({ succeeded: 9, failed: 0 });
    expect('case' in view && view.case).toMatchObject({ status: 'active', objectCount: 9 });
  });

  it('never starts a second job when the run crashes after CreateJob', async () => {
    let crashed = false;
    const crashing: HoldDeps = {
      ...deps,
      registry: Object.assign(Object.create(Object.getPrototypeOf(deps.registry)), deps.registry, {
        // Injected fault: the job exists but the function dies before recording it.
        updateCase: async (...args: Parameters<HoldDeps['registry']['updateCase']>) => {
          if (!crashed && args[3]?.batchJob) {
            crashed = true;
            throw new Error('injected crash after CreateJob');
          }
          return deps.registry.updateCase(...args);
        },
      }),
    };
    await expect(applyHold(crashing, request('BIG-2', 8, 11))).rejects.toThrow('injected crash');
    const answers = await untilDone(() => applyHold(deps, request('BIG-2', 8, 11)));
    expect(answers.at(-1)).toMatchObject({ result: 'complete', objectCount: 9 });
    expect(await jobsOf('BIG-2')).toHaveLength(1);
    const view = await holdStatus(deps, { caseId: 'BIG-2' });
    const events = 'audit' in view ? view.audit.map((e) => e.event.split(':')[0]) : [];
    expect(events).toEqual([
      'apply-started',
      'apply-job-submitted',
      'apply-job-completed',
      'objects-held',
      'apply-completed',
    ]);
  });

  it('reports a key the job could not hold, and holds the rest', async () => {
    // Hour 8 is held by BIG-2; its versions stay. A fresh hour, one version removed under the job.
    const stored: ObjectVersion[] = [];
    for (const n of [0, 1, 2, 3, 4]) {
      const key = `acme/2026/10/05/13/gone-${n}`;
      stored.push({
        bucket: f.archive,
        key,
        versionId: await putVersion(f, f.archive, key, 'x\n'),
        size: 2,
      });
    }
    const [victim] = stored;
    const deleting: HoldDeps = {
      ...deps,
      batch: {
        describe: (id) => deps.batch!.describe(id),
        // Real failure, timed by the test: the version disappears after the manifest is written.
        submitLegalHoldJob: async (job) => {
          await f.clients.s3.send(
            new DeleteObjectCommand({
              Bucket: f.archive,
              Key: victim!.key,
              VersionId: victim!.versionId,
              BypassGovernanceRetention: true,
            }),
          );
          return deps.batch!.submitLegalHoldJob(job);
        },
      },
    };
    const answers = await untilDone(() => applyHold(deleting, request('BIG-3', 13, 14)));
    const last = answers.at(-1)!;
    expect(last).toMatchObject({ result: 'incomplete' });
    expect(last.failures).toEqual([
      { key: victim!.key, versionId: victim!.versionId, error: expect.any(String) },
    ]);
    for (const o of stored.slice(1)) expect(await legalHold(o)).toBe('ON');
    const view = await holdStatus(deps, { caseId: 'BIG-3' });
    const completed =
      'audit' in view
        ? view.audit.find((e) => e.event.startsWith('apply-job-completed'))
        : undefined;
    expect(completed?.details).toMatchObject({ succeeded: 4, failed: 1 });
  });

  it('releases a large case with an OFF job, keeping versions another case holds', async () => {
    // BIG-2 covers hours 8-10, BIG-1 hours 9-11: only hour 8 is BIG-2's alone (3 ≤ 4: direct path).
    const small = await untilDone(() =>
      releaseHold(deps, { caseId: 'BIG-2', requester: 'oncall', reason: 'closed', dryRun: false }),
    );
    expect(small.at(-1)).toMatchObject({ result: 'complete' });
    for (const o of hours(8)) expect(await legalHold(o)).toBe('OFF');
    for (const o of hours(9, 10)) expect(await holdTag(o)).toBe('BIG-1');

    const answers = await untilDone(() =>
      releaseHold(deps, { caseId: 'BIG-1', requester: 'oncall', reason: 'closed', dryRun: false }),
    );
    expect(answers[0]).toMatchObject({ result: 'in-progress' });
    expect(answers[0]!.message).toMatch(/sets legal hold OFF on 9 object versions/);
    expect(answers.at(-1)).toMatchObject({ result: 'complete', case: { status: 'released' } });
    for (const o of hours(9, 10, 11)) {
      expect(await legalHold(o)).toBe('OFF');
      expect(await holdTag(o)).toBeUndefined();
    }
    expect(await f.deps.registry.memberships('BIG-1')).toEqual([]);
  });

  it('refuses to release a case while its apply job still runs, then releases it', async () => {
    // Stand-in jobs finish in milliseconds; this wrapper reports the job as still Active,
    // as a job over millions of versions would be.
    const slow: HoldDeps = {
      ...deps,
      batch: {
        submitLegalHoldJob: (job) => deps.batch!.submitLegalHoldJob(job),
        describe: async (id) => ({
          ...(await deps.batch!.describe(id)),
          status: 'Active',
          finished: false,
        }),
      },
    };
    const release = { caseId: 'BIG-4', requester: 'oncall', reason: 'closed', dryRun: false };
    expect(await applyHold(slow, request('BIG-4', 10, 12))).toMatchObject({
      result: 'in-progress',
    });
    await expect(releaseHold(slow, release)).rejects.toThrow(
      /BIG-4: its apply job \S+ is still Active; rerun the apply until it completes, then release/,
    );
    const { status, batchJob } = (await f.deps.registry.getCase('BIG-4'))!;
    expect(status).toBe('applying');

    // The real job may still be finishing: release once the stand-in says it has ended.
    for (let i = 0; i < 300 && !(await deps.batch!.describe(batchJob!.jobId)).finished; i++)
      await new Promise((r) => setTimeout(r, 100));
    const answers = await untilDone(() => releaseHold(deps, release));
    expect(answers.at(-1)).toMatchObject({ result: 'complete', case: { status: 'released' } });
    for (const o of hours(10, 11)) expect(await legalHold(o)).toBe('OFF');
  });

  it('reports a job that failed once, and starts a new one on the next rerun', async () => {
    // Real failure of the stand-in's job: the manifest ETag it is given does not match.
    const stale: HoldDeps = {
      ...deps,
      batch: {
        describe: (id) => deps.batch!.describe(id),
        submitLegalHoldJob: (job) =>
          deps.batch!.submitLegalHoldJob({ ...job, manifest: { ...job.manifest, etag: '"0"' } }),
      },
    };
    const stored: ObjectVersion[] = [];
    for (const n of [0, 1, 2, 3, 4]) {
      const key = `acme/2026/10/05/15/retry-${n}`;
      const versionId = await putVersion(f, f.archive, key, 'x\n');
      stored.push({ bucket: f.archive, key, versionId, size: 2 });
    }
    const failed = (await untilDone(() => applyHold(stale, request('BIG-5', 15, 16)))).at(-1)!;
    expect(failed).toMatchObject({ result: 'incomplete' });
    expect(failed.message).toMatch(/job \S+ ended Failed; rerun the same apply to start a new job/);
    expect(failed.failures).toEqual([
      { key: 'hold-jobs/BIG-5/apply-1/manifest.csv', error: expect.stringMatching(/Failed: /) },
    ]);
    for (const o of stored) expect(await legalHold(o)).not.toBe('ON');

    const answers = await untilDone(() => applyHold(deps, request('BIG-5', 15, 16)));
    expect(answers[0]!.message).toMatch(/sets legal hold ON on 5 object versions/);
    expect(answers.at(-1)).toMatchObject({ result: 'complete', objectCount: 5 });
    for (const o of stored) expect(await legalHold(o)).toBe('ON');
    expect(await jobsOf('BIG-5')).toHaveLength(2);
    expect(await read('hold-jobs/BIG-5/apply-2/manifest.csv')).toContain('retry-0');
  });
});
