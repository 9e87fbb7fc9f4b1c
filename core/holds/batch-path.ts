import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RejectedRequest, type BatchJobRef, type CaseRecord } from './case';
import type { BatchJobs } from './batch-jobs';
import {
  jobPrefix,
  jobToken,
  manifestCsv,
  parseReportCsv,
  type JobAction,
  type ReportRow,
} from './batch-manifest';
import type { HoldDeps, HoldOutcome } from './deps';
import { objectRef, type ObjectVersion } from './registry';
import { readText } from './s3-objects';
import { auditStep, sum } from './steps';

/**
 * Scopes above holds.largeScopeThreshold: S3 Batch Operations flips the
 * legal-hold flags, the function keeps the books (memberships, tags, audit)
 * from the job's completion report. Manifests and reports stay in the
 * investigations bucket under `hold-jobs/<caseId>/` as evidence of what was done.
 */

const NOT_CONFIGURED =
  'S3 Batch Operations is not configured (HOLD_BATCH_ROLE_ARN); narrow the range or split the case';

function batchOf(deps: HoldDeps): BatchJobs {
  if (!deps.batch) throw new RejectedRequest(`large-scope path unavailable: ${NOT_CONFIGURED}`);
  return deps.batch;
}

/** Refuses, before anything is written, a large scope that no job could take. */
export function assertBatchAvailable(deps: HoldDeps, versions: number): void {
  if (versions > deps.largeScopeThreshold && !deps.batch)
    throw new RejectedRequest(
      `scope has ${versions} object versions, more than holds.largeScopeThreshold ` +
        `(${deps.largeScopeThreshold}), and ${NOT_CONFIGURED}`,
    );
}

/**
 * Writes the manifest and starts the job (same token on a rerun, so never a
 * second job), records it on the case and in the audit trail.
 */
export async function submitLegalHoldJob(
  deps: HoldDeps,
  record: CaseRecord,
  action: JobAction,
  versions: readonly ObjectVersion[],
  actor: string,
): Promise<HoldOutcome> {
  const { caseId } = record;
  const attempt = record.batchJob?.action === action ? record.batchJob.attempt + 1 : 1;
  const prefix = jobPrefix(caseId, action, attempt);
  const bucket = deps.buckets.investigations;
  const manifestKey = `${prefix}manifest.csv`;
  const manifest = manifestCsv(versions);
  const { ETag } = await deps.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: manifestKey,
      Body: manifest,
      ContentType: 'text/csv',
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  const status = action === 'apply' ? 'ON' : 'OFF';
  const jobId = await batchOf(deps).submitLegalHoldJob({
    status,
    manifest: { bucket, key: manifestKey, etag: ETag! },
    reportPrefix: `${prefix}report`,
    token: jobToken(caseId, action, attempt, manifest),
    description: `logvault hold ${action} ${caseId} (attempt ${attempt})`,
  });
  const batchJob: BatchJobRef = { jobId, action, prefix, versions: versions.length, attempt };
  if (!(await recordJob(deps, caseId, batchJob)))
    throw new Error(`case ${caseId} changed state while its ${action} job ${jobId} was starting`);
  await auditStep(deps, caseId, `${action}-job-submitted:${jobId}`, actor, {
    jobId,
    legalHold: status,
    versions: versions.length,
    manifest: `s3://${bucket}/${manifestKey}`,
  });
  return {
    caseId,
    result: 'in-progress',
    objectCount: action === 'apply' ? versions.length : record.objectCount,
    bytes: action === 'apply' ? sum(versions) : record.bytes,
    processed: 0,
    failures: [],
    message:
      `S3 Batch Operations job ${jobId} sets legal hold ${status} on ${versions.length} object ` +
      `versions (more than holds.largeScopeThreshold, ${deps.largeScopeThreshold}); ` +
      `rerun the same ${action} to collect its completion report`,
    retryAfterSeconds: 2,
  };
}

/** Refuses to release a case while its apply job may still turn flags ON. */
export async function assertApplyJobFinished(deps: HoldDeps, record: CaseRecord): Promise<void> {
  const job = record.batchJob;
  if (record.status !== 'applying' || job?.action !== 'apply') return;
  const state = await batchOf(deps).describe(job.jobId);
  if (!state.finished)
    throw new RejectedRequest(
      `case ${record.caseId}: its apply job ${job.jobId} is still ${state.status}; ` +
        'rerun the apply until it completes, then release',
    );
}

/** Records the job on the case, which stays in its action's state; false if it has left it. */
function recordJob(deps: HoldDeps, caseId: string, batchJob: BatchJobRef): Promise<boolean> {
  const during = batchJob.action === 'apply' ? 'applying' : 'releasing';
  return deps.registry.updateCase(caseId, [during], during, { batchJob });
}

export interface CollectedJob {
  /** objectRefs of the versions whose flag the job set. */
  readonly changed: ReadonlySet<string>;
  /** The answer to give now: the job still runs, or it just ended without completing. */
  readonly answer?: HoldOutcome;
}

const NOTHING: CollectedJob = { changed: new Set() };

/**
 * The case's job for `action`: still running (an answer to return), or
 * finished, with the versions its report says it changed. A failed task stays
 * undone and is retried by the caller like any version not yet handled. A
 * job that ended Failed or Cancelled is reported once, as `incomplete`; the
 * rerun after that starts a new attempt rather than reporting it again.
 */
export async function collectLegalHoldJob(
  deps: HoldDeps,
  record: CaseRecord,
  action: JobAction,
  actor: string,
): Promise<CollectedJob> {
  const job = record.batchJob;
  if (job?.action !== action || job.endedWith) return NOTHING;
  const state = await batchOf(deps).describe(job.jobId);
  const done = state.succeeded + state.failed;
  const answer = (fields: Pick<HoldOutcome, 'result' | 'message'> & Partial<HoldOutcome>) => ({
    caseId: record.caseId,
    objectCount: action === 'apply' ? job.versions : record.objectCount,
    bytes: record.bytes,
    processed: done,
    failures: [],
    ...fields,
  });
  if (!state.finished)
    return {
      changed: new Set(),
      answer: answer({
        result: 'in-progress',
        message:
          `S3 Batch Operations job ${job.jobId} is ${state.status}: ` +
          `${done}/${state.total} tasks done; rerun the same ${action} to continue`,
        retryAfterSeconds: 5,
      }),
    };
  const rows = state.status === 'Complete' ? await readReport(deps, job) : [];
  const failed = rows.filter((r) => !r.succeeded);
  await auditStep(deps, record.caseId, `${action}-job-completed:${job.jobId}`, actor, {
    jobId: job.jobId,
    status: state.status,
    succeeded: rows.length - failed.length,
    failed: failed.length,
    ...(state.failureReasons.length > 0 ? { failureReasons: state.failureReasons } : {}),
    report: `s3://${deps.buckets.investigations}/${job.prefix}report/job-${job.jobId}/`,
  });
  if (state.status !== 'Complete') {
    const reasons = state.failureReasons.join('; ') || 'no reason given';
    const batchJob: BatchJobRef = { ...job, endedWith: `${state.status}: ${reasons}` };
    await recordJob(deps, record.caseId, batchJob);
    return {
      changed: new Set(),
      answer: answer({
        result: 'incomplete',
        failures: [
          { key: `${job.prefix}manifest.csv`, error: `job ${job.jobId} ${batchJob.endedWith}` },
        ],
        message: `S3 Batch Operations job ${job.jobId} ended ${state.status}; rerun the same ${action} to start a new job`,
      }),
    };
  }
  return { changed: new Set(rows.filter((r) => r.succeeded).map((r) => objectRef(r))) };
}

/** Every row of the job's completion report (its manifest.json lists the result files). */
async function readReport(deps: HoldDeps, job: BatchJobRef): Promise<ReportRow[]> {
  const bucket = deps.buckets.investigations;
  const index = JSON.parse(
    await readText(deps.s3, bucket, `${job.prefix}report/job-${job.jobId}/manifest.json`),
  ) as { Results?: { Bucket?: string; Key: string }[] };
  const rows: ReportRow[] = [];
  for (const result of index.Results ?? [])
    rows.push(...parseReportCsv(await readText(deps.s3, result.Bucket ?? bucket, result.Key)));
  return rows;
}
