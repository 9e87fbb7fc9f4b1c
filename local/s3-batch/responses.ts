import { Job } from './model';
import { XmlObject } from './xml';
import { arns, awsPlacement } from '../../core/naming';

/**
 * S3 Control's response shapes for jobs (JobDescriptor, JobListDescriptor),
 * element for element as the SDK's REST-XML deserializer reads them.
 */

const jobArn = (job: Job, region: string) =>
  arns.s3Job(awsPlacement(job.accountId, region), job.id);

function progressSummary(job: Job): XmlObject {
  const until = job.activeUntil ?? new Date();
  const active = job.activeFrom ? (until.getTime() - job.activeFrom.getTime()) / 1000 : 0;
  return {
    TotalNumberOfTasks: job.total,
    NumberOfTasksSucceeded: job.succeeded,
    NumberOfTasksFailed: job.failed,
    Timers: { ElapsedTimeInActiveSeconds: Math.floor(active) },
  };
}

function manifest(job: Job): XmlObject {
  const { manifest } = job.spec;
  return {
    Spec: { Format: manifest.format, Fields: { member: [...manifest.fields] } },
    Location: {
      ObjectArn: manifest.objectArn,
      ObjectVersionId: manifest.versionId,
      ETag: manifest.etag,
    },
  };
}

function report(job: Job): XmlObject {
  const { report } = job.spec;
  if (!report.enabled) return { Enabled: false };
  return {
    Bucket: report.bucketArn,
    Format: report.format,
    Enabled: true,
    Prefix: report.prefix,
    ReportScope: report.scope,
  };
}

/** DescribeJob's `Job`. */
export function jobDescriptor(job: Job, region: string): XmlObject {
  const { spec } = job;
  return {
    JobId: job.id,
    ConfirmationRequired: spec.confirmationRequired,
    Description: spec.description,
    JobArn: jobArn(job, region),
    Status: job.status,
    Manifest: manifest(job),
    Operation: { S3PutObjectLegalHold: { LegalHold: { Status: spec.legalHold } } },
    Priority: spec.priority,
    ProgressSummary: progressSummary(job),
    StatusUpdateReason: job.statusUpdateReason,
    FailureReasons: {
      member: job.failures.map((f) => ({ FailureCode: f.code, FailureReason: f.reason })),
    },
    Report: report(job),
    CreationTime: job.created,
    TerminationDate: job.terminated,
    RoleArn: spec.roleArn,
    SuspendedDate: job.suspended?.date,
    SuspendedCause: job.suspended?.cause,
  };
}

/** One entry of ListJobs' `Jobs`. */
export function jobListDescriptor(job: Job): XmlObject {
  return {
    JobId: job.id,
    Description: job.spec.description,
    Operation: 'S3PutObjectLegalHold',
    Priority: job.spec.priority,
    Status: job.status,
    CreationTime: job.created,
    TerminationDate: job.terminated,
    ProgressSummary: progressSummary(job),
  };
}
