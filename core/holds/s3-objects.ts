import { objectVersionPages } from '../s3/pagers';
import {
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  PutObjectLegalHoldCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectVersion } from './registry';
import { logObjectBytes } from '../s3/log-text';
import { readObject } from '../s3/objects';

/** The S3 calls holds make, each on one exact object version. */

/** Every object version (not delete markers) under `prefix`. */
export async function listVersions(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ObjectVersion[]> {
  const versions: ObjectVersion[] = [];
  for await (const page of objectVersionPages(s3, bucket, prefix))
    for (const v of page.Versions ?? [])
      versions.push({ bucket, key: v.Key!, versionId: v.VersionId!, size: v.Size ?? 0 });
  return versions;
}

/** Every version and delete marker under `prefix` (for deleting extracts completely). */
export async function listAllVersionIds(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; versionId: string; deleteMarker: boolean }[]> {
  const all: { key: string; versionId: string; deleteMarker: boolean }[] = [];
  for await (const page of objectVersionPages(s3, bucket, prefix)) {
    for (const v of page.Versions ?? [])
      all.push({ key: v.Key!, versionId: v.VersionId!, deleteMarker: false });
    for (const m of page.DeleteMarkers ?? [])
      all.push({ key: m.Key!, versionId: m.VersionId!, deleteMarker: true });
  }
  return all;
}

/** The text of one object (its current version unless `versionId` is given). */
export async function readText(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<string> {
  const { Body } = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
  );
  return Body!.transformToString('utf8');
}

/**
 * The lines of one log object version, for content filters; GZIP as Firehose
 * writes it on AWS. A version that vanished between listing and reading is an
 * error, not an empty object: a filter that saw no lines would hold nothing.
 */
export async function readLines(s3: S3Client, o: ObjectVersion): Promise<string[]> {
  const where = `s3://${o.bucket}/${o.key} (version ${o.versionId})`;
  const read = await readObject(s3, o.bucket, o.key, o.versionId);
  if (read === undefined)
    throw new Error(`${where} no longer exists: it was listed for the hold but cannot be read`);
  let text: string;
  try {
    text = logObjectBytes(read.body).toString('utf8');
  } catch (error) {
    // An archived object that cannot be read cannot be judged by a filter;
    // stopping (the step retries, then alarms) is safer than holding nothing.
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
  return text.split('\n').filter((line) => line.trim() !== '');
}

export async function setLegalHold(s3: S3Client, o: ObjectVersion, on: boolean): Promise<void> {
  await s3.send(
    new PutObjectLegalHoldCommand({
      Bucket: o.bucket,
      Key: o.key,
      VersionId: o.versionId,
      LegalHold: { Status: on ? 'ON' : 'OFF' },
    }),
  );
}

/** Whether the version's legal hold is ON; a version never held has no configuration (OFF). */
export async function legalHoldIsOn(s3: S3Client, o: ObjectVersion): Promise<boolean> {
  try {
    const { LegalHold } = await s3.send(
      new GetObjectLegalHoldCommand({ Bucket: o.bucket, Key: o.key, VersionId: o.versionId }),
    );
    return LegalHold?.Status === 'ON';
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchObjectLockConfiguration') return false;
    throw error;
  }
}
