import { GetObjectLegalHoldCommand, PutObjectLegalHoldCommand, S3Client } from '@aws-sdk/client-s3';
import { Task, TaskResult } from './model';
import { describeS3Error, S3Refusal } from './s3-errors';

/**
 * One `S3PutObjectLegalHold` task: the same PutObjectLegalHold call Batch
 * Operations makes for a manifest row, on the row's version when it names one.
 * Whatever S3 refuses is the task's failure, with S3's own code and status.
 */
export async function putLegalHold(
  s3: S3Client,
  task: Task,
  status: 'ON' | 'OFF',
): Promise<TaskResult> {
  const target = { Bucket: task.bucket, Key: task.key, VersionId: task.versionId };
  try {
    await s3.send(new PutObjectLegalHoldCommand({ ...target, LegalHold: { Status: status } }));
    return { ...task, succeeded: true, httpStatus: 200, errorCode: '', message: 'Successful' };
  } catch (error) {
    const refusal = describeS3Error(error);
    const answer =
      refusal.httpStatus === 500 ? await refusalOfMissing(s3, target, refusal) : refusal;
    return { ...task, succeeded: false, ...answer };
  }
}

const MISSING = new Set(['NoSuchKey', 'NoSuchVersion']);

/**
 * moto 5.2.1 crashes (HTTP 500, an HTML page) on PutObjectLegalHold for a key
 * or version that does not exist, where S3 answers 404 NoSuchKey or
 * NoSuchVersion. GetObjectLegalHold on the same target gives S3's answer for
 * a missing object; when the object is there, the 500 stands.
 */
async function refusalOfMissing(
  s3: S3Client,
  target: { Bucket: string; Key: string; VersionId?: string },
  refusal: S3Refusal,
): Promise<S3Refusal> {
  try {
    await s3.send(new GetObjectLegalHoldCommand(target));
    return refusal;
  } catch (error) {
    const missing = describeS3Error(error);
    return MISSING.has(missing.errorCode) ? missing : refusal;
  }
}
