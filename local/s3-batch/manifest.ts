import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { JobFailedError, ManifestSpec, Task } from './model';
import { describeS3Error } from './s3-errors';
import { isBlankRecord, parseCsv } from '../../core/csv';

/**
 * Reading a job's CSV manifest, as S3 Batch Operations does while the job is
 * Preparing: the object must still have the ETag given to CreateJob (so a
 * manifest rewritten after submission is never run), and every row must have
 * the fields the job's Spec names. Either problem fails the whole job before
 * any task runs.
 */

const unquote = (etag: string) => etag.replace(/^"|"$/g, '');

/**
 * Manifest keys are URL-encoded (AWS requires it); `+` is a space, as in
 * S3 Inventory reports, which Batch Operations also takes as manifests.
 */
function decodeKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

/** The tasks of a manifest's text, in manifest order; blank lines are skipped. */
function parseManifest(text: string, spec: ManifestSpec): Task[] {
  const at = (name: string) => spec.fields.indexOf(name as ManifestSpec['fields'][number]);
  const [bucketAt, keyAt, versionAt] = [at('Bucket'), at('Key'), at('VersionId')];
  const tasks: Task[] = [];
  parseCsv(text.replace(/^\uFEFF/, '')).forEach((fields, line) => {
    if (isBlankRecord(fields)) return;
    const where = `line ${line + 1} of ${spec.objectArn}`;
    if (fields.length !== spec.fields.length)
      throw new JobFailedError(
        'InvalidManifestContent',
        `${where} has ${fields.length} fields, the job's Spec names ${spec.fields.length} (${spec.fields.join(', ')})`,
      );
    const [bucket, rawKey] = [fields[bucketAt]!, fields[keyAt]!];
    let key: string;
    try {
      key = decodeKey(rawKey);
    } catch {
      throw new JobFailedError('InvalidManifestContent', `${where}: key is not URL-encoded`);
    }
    if (!bucket || !key)
      throw new JobFailedError('InvalidManifestContent', `${where} has an empty Bucket or Key`);
    const versionId = versionAt >= 0 ? fields[versionAt] || undefined : undefined;
    tasks.push({ bucket, key, versionId });
  });
  return tasks;
}

/** The manifest's tasks, or JobFailedError when it cannot be read or is not the one submitted. */
export async function readManifest(s3: S3Client, spec: ManifestSpec): Promise<Task[]> {
  let text: string;
  let etag: string | undefined;
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: spec.bucket, Key: spec.key, VersionId: spec.versionId }),
    );
    etag = object.ETag;
    text = await object.Body!.transformToString('utf-8');
  } catch (error) {
    const { errorCode, message } = describeS3Error(error);
    throw new JobFailedError(
      'ManifestReadFailed',
      `Reading the manifest ${spec.objectArn} failed: ${errorCode}: ${message}`,
    );
  }
  if (unquote(etag ?? '') !== unquote(spec.etag))
    throw new JobFailedError(
      'ManifestReadFailed',
      `The manifest ${spec.objectArn} has ETag ${etag}, the job was created with ETag ${spec.etag}`,
    );
  return parseManifest(text, spec);
}
