import {
  CreateJobCommand,
  DescribeJobCommand,
  S3ControlClient,
  type JobStatus,
} from '@aws-sdk/client-s3-control';
import { arns } from '../naming';

/**
 * S3 Batch Operations, the path for scopes above holds.largeScopeThreshold:
 * S3 sets the legal-hold flag on every manifest row with its own retries and
 * writes a per-key completion report (docs/holds.md, "Scale").
 */

/** One `S3PutObjectLegalHold` job over a CSV manifest already written to S3. */
export interface LegalHoldJobRequest {
  readonly status: 'ON' | 'OFF';
  /** The manifest object (`Bucket,Key,VersionId` rows) and the ETag S3 returned for it. */
  readonly manifest: { readonly bucket: string; readonly key: string; readonly etag: string };
  /** The completion report goes under `s3://<manifest bucket>/<reportPrefix>/job-<id>/`. */
  readonly reportPrefix: string;
  /** Same token, same job: a rerun after a crash never starts a second job. */
  readonly token: string;
  readonly description: string;
}

export interface BatchJobState {
  readonly status: JobStatus | string;
  /** Complete, Failed or Cancelled: nothing more will happen. */
  readonly finished: boolean;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failureReasons: string[];
}

export interface BatchJobs {
  submitLegalHoldJob(request: LegalHoldJobRequest): Promise<string>;
  describe(jobId: string): Promise<BatchJobState>;
}

const FINISHED = new Set(['Complete', 'Failed', 'Cancelled']);

/** The job API of S3 Control, run as the batch role (`iam:PassRole` to batchoperations.s3). */
export class S3BatchJobs implements BatchJobs {
  constructor(
    private readonly client: S3ControlClient,
    private readonly accountId: string,
    private readonly roleArn: string,
    readonly partition = 'aws',
  ) {}

  async submitLegalHoldJob(request: LegalHoldJobRequest): Promise<string> {
    const { manifest } = request;
    const { JobId } = await this.client.send(
      new CreateJobCommand({
        AccountId: this.accountId,
        ConfirmationRequired: false,
        Operation: { S3PutObjectLegalHold: { LegalHold: { Status: request.status } } },
        Manifest: {
          Spec: {
            Format: 'S3BatchOperations_CSV_20180820',
            Fields: ['Bucket', 'Key', 'VersionId'],
          },
          Location: {
            ObjectArn: arns.object(this, manifest.bucket, manifest.key),
            ETag: manifest.etag,
          },
        },
        Report: {
          Bucket: arns.bucket(this, manifest.bucket),
          Prefix: request.reportPrefix,
          Format: 'Report_CSV_20180820',
          Enabled: true,
          ReportScope: 'AllTasks',
        },
        Priority: 10,
        RoleArn: this.roleArn,
        ClientRequestToken: request.token,
        Description: request.description,
      }),
    );
    return JobId!;
  }

  async describe(jobId: string): Promise<BatchJobState> {
    const { Job } = await this.client.send(
      new DescribeJobCommand({ AccountId: this.accountId, JobId: jobId }),
    );
    const progress = Job?.ProgressSummary;
    const status = Job?.Status ?? 'unknown';
    return {
      status,
      finished: FINISHED.has(status),
      total: progress?.TotalNumberOfTasks ?? 0,
      succeeded: progress?.NumberOfTasksSucceeded ?? 0,
      failed: progress?.NumberOfTasksFailed ?? 0,
      failureReasons: (Job?.FailureReasons ?? []).map((r) =>
        `${r.FailureCode ?? 'failure'}: ${r.FailureReason ?? ''}`.trim(),
      ),
    };
  }
}
