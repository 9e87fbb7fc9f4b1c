import { createHash } from 'node:crypto';
import type { ObjectVersion } from './registry';
import { prefixes } from '../naming';
import { csvRecord, isBlankRecord, parseCsv } from '../csv';

/** Pure parts of the S3 Batch Operations path: manifest rows, tokens, report parsing. No I/O. */

export type JobAction = 'apply' | 'release';

/** Where one job's manifest and completion report live in the investigations bucket. */
export const jobPrefix = (caseId: string, action: JobAction, attempt: number) =>
  `${prefixes.holdJobs}${caseId}/${action}-${attempt}/`;

/** `Bucket,Key,VersionId` rows; S3 Batch Operations requires URL-encoded keys. */
export function manifestCsv(versions: readonly ObjectVersion[]): string {
  return versions
    .map((v) => `${csvRecord([v.bucket, encodeURIComponent(v.key), v.versionId])}\n`)
    .join('');
}

/**
 * CreateJob's idempotency token (at most 64 characters): one per case,
 * action, attempt and manifest content. A rerun after a crash writes the same
 * manifest and gets the same job; a manifest that changed meanwhile (a
 * version sealed into the range) is a new request, which S3 would refuse
 * under the old token. The content is hashed, not the ETag: under SSE-KMS an
 * ETag is not a digest of the content.
 */
export function jobToken(
  caseId: string,
  action: JobAction,
  attempt: number,
  manifest: string,
): string {
  const digest = createHash('sha256')
    .update(`${caseId}\n${action}\n${attempt}\n`)
    .update(manifest)
    .digest('hex');
  return `logvault-${digest.slice(0, 48)}`;
}

export interface ReportRow {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly succeeded: boolean;
  readonly errorCode: string;
  readonly httpStatus: string;
  readonly message: string;
}

/**
 * Rows of a `Report_CSV_20180820` completion report. Its ReportSchema says
 * "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode,
 * ResultMessage", but the rows (and AWS's own examples) carry the HTTP status
 * before the error code: `b,k,v,failed,404,NoSuchVersion,...`. Keys come back
 * URL-encoded as they were in the manifest.
 */
export function parseReportCsv(text: string): ReportRow[] {
  return parseCsv(text)
    .filter((r) => !isBlankRecord(r))
    .map((fields, line) => {
      const [bucket, key, versionId, status, httpStatus = '', errorCode = '', message = ''] =
        fields;
      if (!bucket || key === undefined || status === undefined)
        throw new Error(
          `completion report line ${line + 1} has ${fields.length} fields, expected 7`,
        );
      return {
        bucket,
        key: decodeURIComponent(key),
        versionId: versionId ?? '',
        succeeded: status === 'succeeded',
        errorCode,
        httpStatus,
        message,
      };
    });
}
