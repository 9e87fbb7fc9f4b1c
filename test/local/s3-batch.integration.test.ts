import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  DescribeJobCommand,
  type JobDescriptor,
  ListJobsCommand,
  S3ControlClient,
  UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import { createHash } from 'node:crypto';
import { S3BatchServer, startS3BatchServer } from '../../local/s3-batch/server';
import { LOCAL_REGION, freshAccount, uniqueSuffix, useStandins } from '../support/standins';

/**
 * The S3 Batch Operations stand-in over real HTTP, called with the real S3
 * Control SDK (so the XML both ways is what the SDK sends and parses), its
 * tasks run against moto's S3. Per-key failures come from S3 itself: a
 * version that does not exist, a bucket without Object Lock.
 */
describe('S3 Batch Operations stand-in (local/s3-batch)', () => {
  const { s3 } = useStandins();
  const account = freshAccount();
  const bucket = `batch-${uniqueSuffix()}`;
  const unlocked = `${bucket}-unlocked`;
  const missingVersion = '00000000-0000-0000-0000-000000000000';
  const spaced = 'cases/with space ü.txt';
  const versions: Record<string, string> = {};
  let server: S3BatchServer;
  let control: S3ControlClient;

  const put = async (Bucket: string, Key: string, Body: string) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body, ChecksumAlgorithm: 'SHA256' }));
  const text = async (Key: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString();
  const held = async (Key: string, VersionId?: string) => {
    const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key, VersionId }));
    return hold.LegalHold?.Status === 'ON';
  };

  /** Writes `rows` as a manifest; its Manifest argument for CreateJob. */
  async function manifest(
    name: string,
    rows: string[],
  ): Promise<CreateJobCommandInput['Manifest']> {
    const { ETag } = await put(bucket, `manifests/${name}.csv`, rows.map((r) => `${r}\n`).join(''));
    return {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
      Location: { ObjectArn: `arn:aws:s3:::${bucket}/manifests/${name}.csv`, ETag },
    };
  }

  const job = (
    Manifest: CreateJobCommandInput['Manifest'],
    status: 'ON' | 'OFF',
    options: Partial<CreateJobCommandInput> = {},
  ): CreateJobCommandInput => ({
    AccountId: account,
    ConfirmationRequired: false,
    Operation: { S3PutObjectLegalHold: { LegalHold: { Status: status } } },
    Manifest,
    Report: {
      Bucket: `arn:aws:s3:::${bucket}`,
      Format: 'Report_CSV_20180820',
      Enabled: true,
      Prefix: 'reports',
      ReportScope: 'AllTasks',
    },
    Priority: 10,
    RoleArn: `arn:aws:iam::${account}:role/logvault-test-hold-batch`,
    ClientRequestToken: `token-${uniqueSuffix()}`,
    Description: `legal hold ${status}`,
    ...options,
  });

  const create = async (input: CreateJobCommandInput) =>
    (await control.send(new CreateJobCommand(input))).JobId!;

  async function until(jobId: string, status: string): Promise<JobDescriptor> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { Job } = await control.send(
        new DescribeJobCommand({ AccountId: account, JobId: jobId }),
      );
      if (Job!.Status === status) return Job!;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${jobId} never became ${status}`);
  }

  /** The report's manifest.json and each result file, checked against its MD5. */
  async function report(jobId: string) {
    const index = JSON.parse(await text(`reports/job-${jobId}/manifest.json`));
    const files: Record<string, string[]> = {};
    for (const result of index.Results) {
      const body = await text(result.Key);
      expect(result.Bucket).toBe(bucket);
      expect(result.Key).toMatch(new RegExp(`^reports/job-${jobId}/results/[0-9a-f]{40}\\.csv$`));
      expect(result.MD5Checksum).toBe(createHash('md5').update(body).digest('hex'));
      files[result.TaskExecutionStatus] = body.trimEnd().split('\n');
    }
    return { index, files };
  }

  beforeAll(async () => {
    // Manifests and reports live in the Object Lock bucket too: every write there needs a checksum.
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
    await s3.send(new CreateBucketCommand({ Bucket: unlocked }));
    versions.old = (await put(bucket, 'a.txt', 'first')).VersionId!;
    versions.current = (await put(bucket, 'a.txt', 'second')).VersionId!;
    versions.spaced = (await put(bucket, spaced, 'spaced')).VersionId!;
    versions.other = (await put(bucket, 'other.txt', 'other')).VersionId!;
    await put(unlocked, 'plain.txt', 'plain');
    server = await startS3BatchServer({ s3, region: LOCAL_REGION, concurrency: 4 });
    control = new S3ControlClient({
      region: LOCAL_REGION,
      endpointProvider: () => ({ url: new URL(server.url) }),
    });
  });

  afterAll(async () => {
    control?.destroy();
    await server?.close();
  });

  it('holds exactly the listed versions and reports every task, failures with S3 error codes', async () => {
    const rows = [
      `${bucket},a.txt,${versions.old}`,
      `${bucket},${encodeURIComponent(spaced)},${versions.spaced}`,
      `${bucket},a.txt,${missingVersion}`,
      `${unlocked},plain.txt,`,
    ];
    const jobId = await create(job(await manifest('on', rows), 'ON'));

    const done = await until(jobId, 'Complete');

    expect(done.ProgressSummary).toMatchObject({
      TotalNumberOfTasks: 4,
      NumberOfTasksSucceeded: 2,
      NumberOfTasksFailed: 2,
    });
    expect(done.TerminationDate).toBeInstanceOf(Date);
    expect(done.JobArn).toBe(`arn:aws:s3:${LOCAL_REGION}:${account}:job/${jobId}`);
    expect(done.Operation?.S3PutObjectLegalHold?.LegalHold?.Status).toBe('ON');
    expect(done.Manifest?.Spec?.Fields).toEqual(['Bucket', 'Key', 'VersionId']);
    expect(await held('a.txt', versions.old)).toBe(true);
    expect(await held(spaced, versions.spaced)).toBe(true);
    expect(await held('a.txt', versions.current)).toBe(false);
    expect(await held('other.txt', versions.other)).toBe(false);

    const { index, files } = await report(jobId);
    expect(index).toMatchObject({
      Format: 'Report_CSV_20180820',
      ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    });
    expect(files.succeeded).toEqual([
      `${bucket},a.txt,${versions.old},succeeded,200,,Successful`,
      `${bucket},cases/with%20space%20%C3%BC.txt,${versions.spaced},succeeded,200,,Successful`,
    ]);
    expect(files.failed).toEqual([
      expect.stringMatching(`^${bucket},a.txt,${missingVersion},failed,404,NoSuchVersion,.+`),
      expect.stringMatching(`^${unlocked},plain.txt,,failed,400,InvalidRequest,.*Object ?Lock`),
    ]);
  });

  it('returns the same job for the same ClientRequestToken and refuses it for another request', async () => {
    const input = job(await manifest('token', [`${bucket},other.txt,${versions.other}`]), 'OFF');

    const first = await create(input);
    const again = await create(input);

    expect(again).toBe(first);
    await expect(create({ ...input, Priority: 11 })).rejects.toMatchObject({
      name: 'IdempotencyException',
    });
    await until(first, 'Complete');
    const listed = await control.send(
      new ListJobsCommand({ AccountId: account, JobStatuses: ['Complete'] }),
    );
    expect(listed.Jobs!.filter((j) => j.JobId === first)).toEqual([
      expect.objectContaining({ Operation: 'S3PutObjectLegalHold', Status: 'Complete' }),
    ]);
    const active = await control.send(
      new ListJobsCommand({ AccountId: account, JobStatuses: ['Active'] }),
    );
    expect(active.Jobs ?? []).toEqual([]);
  });

  it('releases with an OFF job and reports only failures with FailedTasksOnly', async () => {
    const rows = [
      `${bucket},a.txt,${versions.old}`,
      `${bucket},${encodeURIComponent(spaced)},${versions.spaced}`,
      `${bucket},a.txt,${missingVersion}`,
    ];
    const Report = {
      Bucket: `arn:aws:s3:::${bucket}`,
      Format: 'Report_CSV_20180820' as const,
      Enabled: true,
      Prefix: 'reports/',
      ReportScope: 'FailedTasksOnly' as const,
    };
    // Held by the ON job above.
    expect(await held('a.txt', versions.old)).toBe(true);
    const jobId = await create(job(await manifest('off', rows), 'OFF', { Report }));

    await until(jobId, 'Complete');

    expect(await held('a.txt', versions.old)).toBe(false);
    expect(await held(spaced, versions.spaced)).toBe(false);
    const { index, files } = await report(jobId);
    expect(
      index.Results.map((r: { TaskExecutionStatus: string }) => r.TaskExecutionStatus),
    ).toEqual(['failed']);
    expect(files.failed).toEqual([
      expect.stringContaining(`,${missingVersion},failed,404,NoSuchVersion,`),
    ]);
  });

  it('fails the job, running no task, when the manifest is not the one submitted', async () => {
    const changed = await manifest('changed', [`${bucket},other.txt,${versions.other}`]);
    await put(bucket, 'manifests/changed.csv', `${bucket},a.txt,${versions.current}\n`);
    const missing = {
      ...changed!,
      Location: { ObjectArn: `arn:aws:s3:::${bucket}/manifests/none.csv`, ETag: '"0"' },
    };

    const stale = await until(await create(job(changed, 'ON')), 'Failed');
    const absent = await until(await create(job(missing, 'ON')), 'Failed');

    expect(stale.FailureReasons).toEqual([
      { FailureCode: 'ManifestReadFailed', FailureReason: expect.stringContaining('ETag') },
    ]);
    expect(absent.FailureReasons).toEqual([
      { FailureCode: 'ManifestReadFailed', FailureReason: expect.stringContaining('NoSuchKey') },
    ]);
    expect(stale.ProgressSummary?.NumberOfTasksSucceeded).toBe(0);
    expect(await held('a.txt', versions.current)).toBe(false);
  });

  it('waits in Suspended until confirmed, and cancels on request', async () => {
    const rows = [`${bucket},other.txt,${versions.other}`];
    const confirmed = await create(
      job(await manifest('confirm', rows), 'OFF', { ConfirmationRequired: true }),
    );
    const cancelled = await create(
      job(await manifest('cancel', rows), 'ON', { ConfirmationRequired: true }),
    );
    const update = (JobId: string, RequestedJobStatus: 'Ready' | 'Cancelled') =>
      control.send(new UpdateJobStatusCommand({ AccountId: account, JobId, RequestedJobStatus }));

    expect(await until(confirmed, 'Suspended')).toMatchObject({
      SuspendedCause: 'AWAITING_CONFIRMATION',
    });
    await until(cancelled, 'Suspended');
    expect(await update(confirmed, 'Ready')).toMatchObject({ Status: 'Ready' });
    expect(await update(cancelled, 'Cancelled')).toMatchObject({ Status: 'Cancelled' });

    await until(confirmed, 'Complete');
    await expect(update(cancelled, 'Ready')).rejects.toMatchObject({ name: 'JobStatusException' });
    expect(await held('other.txt', versions.other)).toBe(false);
  });

  it.each([
    ['no Operation', { Operation: undefined }, 'Operation is required'],
    [
      'an operation it does not emulate',
      { Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } } },
      'Operation S3PutObjectTagging is not emulated',
    ],
    [
      'a report bucket that is not an ARN',
      { Report: { Bucket: bucket, Format: 'Report_CSV_20180820' as const, Enabled: true } },
      'Report.Bucket must be a bucket ARN',
    ],
    [
      'no RoleArn and no Priority',
      { RoleArn: undefined, Priority: undefined },
      'Priority is required; RoleArn is required',
    ],
  ])('refuses a job with %s: 400 InvalidRequest naming the problem', async (_, change, message) => {
    const input = job(await manifest('bad', [`${bucket},a.txt,${versions.old}`]), 'ON', change);

    const refused = create(input as CreateJobCommandInput);

    await expect(refused).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining(message),
      $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });
  });

  it('answers 404 NotFoundException for a job it does not know', async () => {
    const unknown = control.send(
      new DescribeJobCommand({ AccountId: account, JobId: '36b5d4a1-0000-4000-8000-000000000000' }),
    );

    await expect(unknown).rejects.toMatchObject({
      name: 'NotFoundException',
      $metadata: expect.objectContaining({ httpStatusCode: 404 }),
    });
  });
});
