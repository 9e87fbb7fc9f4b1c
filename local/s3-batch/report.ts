import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Job, ReportSpec, TaskResult } from './model';
import { csvRecord } from '../../core/csv';

/**
 * The completion report, in S3's `Report_CSV_20180820` layout:
 *
 *   <Prefix>/job-<JobId>/manifest.json        which result files exist, with their MD5
 *   <Prefix>/job-<JobId>/results/<40 hex>.csv one file of succeeded, one of failed tasks
 *
 * Result rows are `Bucket,Key,VersionId,TaskStatus,HTTPStatusCode,ErrorCode,ResultMessage`
 * (the order S3 writes, although manifest.json's ReportSchema names ErrorCode
 * before HTTPStatusCode), keys URL-encoded, in manifest order.
 */

const REPORT_SCHEMA =
  'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage';

type EnabledReport = Extract<ReportSpec, { enabled: true }>;

/** `prefix/job-<id>/`; a trailing slash on the prefix does not double. */
export function reportRoot(report: EnabledReport, jobId: string): string {
  const prefix = (report.prefix ?? '').replace(/\/+$/, '');
  return `${prefix ? `${prefix}/` : ''}job-${jobId}/`;
}

/** Keys URL-encoded as in a manifest, slashes kept. */
const encodeKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/');

function reportLine(r: TaskResult): string {
  const status = r.succeeded ? 'succeeded' : 'failed';
  const fields = [r.bucket, encodeKey(r.key), r.versionId ?? '', status, String(r.httpStatus)];
  return csvRecord([...fields, r.errorCode, r.message]);
}

/**
 * Writes the report of the tasks that ran. Object Lock buckets require an
 * integrity checksum on every write, so each object carries a SHA-256.
 */
export async function writeReport(
  s3: S3Client,
  job: Job,
  report: EnabledReport,
  results: readonly TaskResult[],
): Promise<void> {
  const root = reportRoot(report, job.id);
  const groups: ['succeeded' | 'failed', TaskResult[]][] = [
    ['succeeded', report.scope === 'AllTasks' ? results.filter((r) => r.succeeded) : []],
    ['failed', results.filter((r) => !r.succeeded)],
  ];
  const put = (Key: string, Body: string, ContentType: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: report.bucket,
        Key,
        Body,
        ContentType,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  const files = [];
  for (const [status, rows] of groups.filter(([, rows]) => rows.length > 0)) {
    const key = `${root}results/${randomBytes(20).toString('hex')}.csv`;
    const body = rows.map((r) => `${reportLine(r)}\n`).join('');
    await put(key, body, 'text/csv');
    files.push({
      TaskExecutionStatus: status,
      Bucket: report.bucket,
      MD5Checksum: createHash('md5').update(body).digest('hex'),
      Key: key,
    });
  }
  const manifest = {
    Format: report.format,
    ReportCreationDate: new Date().toISOString(),
    Results: files,
    ReportSchema: REPORT_SCHEMA,
  };
  await put(`${root}manifest.json`, JSON.stringify(manifest, null, 4), 'application/json');
}
