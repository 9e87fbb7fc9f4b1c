/**
 * The subset of S3 Batch Operations (S3 Control job API) that the local
 * stand-in emulates: `S3PutObjectLegalHold` jobs over a CSV manifest, with a
 * completion report. Names follow the S3 Control API so the wire format maps
 * one to one.
 */

export type JobStatus =
  | 'New'
  | 'Preparing'
  | 'Suspended'
  | 'Ready'
  | 'Active'
  | 'Completing'
  | 'Complete'
  | 'Cancelling'
  | 'Cancelled'
  | 'Failing'
  | 'Failed';

export const JOB_STATUSES: readonly JobStatus[] = [
  'New',
  'Preparing',
  'Suspended',
  'Ready',
  'Active',
  'Completing',
  'Complete',
  'Cancelling',
  'Cancelled',
  'Failing',
  'Failed',
];

/** Nothing happens to a job in these states any more. */
export const TERMINAL: ReadonlySet<JobStatus> = new Set(['Complete', 'Cancelled', 'Failed']);

export type ManifestField = 'Ignore' | 'Bucket' | 'Key' | 'VersionId';

export interface ManifestSpec {
  readonly format: 'S3BatchOperations_CSV_20180820';
  readonly fields: readonly ManifestField[];
  readonly objectArn: string;
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly versionId?: string;
}

export type ReportSpec =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly bucketArn: string;
      readonly bucket: string;
      readonly format: 'Report_CSV_20180820';
      readonly prefix?: string;
      readonly scope: 'AllTasks' | 'FailedTasksOnly';
    };

/** A validated CreateJob request. */
export interface JobSpec {
  readonly confirmationRequired: boolean;
  readonly clientRequestToken: string;
  readonly description?: string;
  readonly priority: number;
  readonly roleArn: string;
  readonly legalHold: 'ON' | 'OFF';
  readonly manifest: ManifestSpec;
  readonly report: ReportSpec;
}

/** One manifest row: the object version a task works on. */
export interface Task {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** What S3 answered for one task, as the completion report lists it. */
export interface TaskResult extends Task {
  readonly succeeded: boolean;
  readonly httpStatus: number;
  readonly errorCode: string;
  readonly message: string;
}

export interface JobFailure {
  readonly code: string;
  readonly reason: string;
}

export interface Job {
  readonly id: string;
  readonly accountId: string;
  readonly spec: JobSpec;
  readonly created: Date;
  status: JobStatus;
  terminated?: Date;
  suspended?: { readonly date: Date; readonly cause: string };
  statusUpdateReason?: string;
  failures: JobFailure[];
  total: number;
  succeeded: number;
  failed: number;
  activeFrom?: Date;
  activeUntil?: Date;
}

/** A request the API refuses: becomes an S3 Control error response. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Makes the whole job fail with a FailureReasons entry (the manifest cannot be used, ...). */
export class JobFailedError extends Error {
  constructor(
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}
