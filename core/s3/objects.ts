import { objectVersionPages } from './pagers';
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  ObjectVersion,
  DeleteMarkerEntry,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

/** Base64 SHA-256, the encoding S3 uses for `x-amz-checksum-sha256`. */
export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True for the "object or version is not there" answers of S3. */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (['NoSuchKey', 'NoSuchVersion', 'NotFound'].includes(error.name) ||
      error.$metadata.httpStatusCode === 404)
  );
}

export function isPreconditionFailed(error: unknown): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412;
}

/** The bytes of an object (version), or undefined when it does not exist. */
export async function readObject(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<
  | {
      body: Uint8Array;
      retainUntil?: Date;
      lockMode?: string;
      versionId?: string;
      metadata: Record<string, string>;
    }
  | undefined
> {
  try {
    const got = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
    );
    return {
      body: await got.Body!.transformToByteArray(),
      retainUntil: got.ObjectLockRetainUntilDate,
      lockMode: got.ObjectLockMode,
      versionId: got.VersionId,
      metadata: got.Metadata ?? {},
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface VersionListing {
  readonly versions: ObjectVersion[];
  readonly deleteMarkers: DeleteMarkerEntry[];
}

/** Every version and delete marker under each prefix. */
export async function listVersions(
  s3: S3Client,
  bucket: string,
  prefixes: readonly string[],
): Promise<VersionListing> {
  const versions: ObjectVersion[] = [];
  const deleteMarkers: DeleteMarkerEntry[] = [];
  for (const prefix of prefixes)
    for await (const page of objectVersionPages(s3, bucket, prefix)) {
      versions.push(...(page.Versions ?? []));
      deleteMarkers.push(...(page.DeleteMarkers ?? []));
    }
  return { versions, deleteMarkers };
}
