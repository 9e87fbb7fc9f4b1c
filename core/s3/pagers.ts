import {
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  ListObjectsV2CommandOutput,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';

/**
 * The two listings logvault pages through: current objects (the SDK's own
 * paginator) and every version (a loop of our own: the SDK has no paginator
 * for ListObjectVersions). Every caller lists through these.
 */

/** Every page of current objects under `prefix`, after `startAfter` when given. */
export function objectPages(
  s3: S3Client,
  bucket: string,
  prefix?: string,
  startAfter?: string,
): AsyncIterable<ListObjectsV2CommandOutput> {
  return paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, Prefix: prefix, StartAfter: startAfter },
  );
}

/**
 * Every page of ListObjectVersions under `prefix`, following the key and
 * version-id markers. The SDK ships no paginator for this call; this is the
 * one loop every caller shares.
 */
export async function* objectVersionPages(
  s3: S3Client,
  bucket: string,
  prefix?: string,
): AsyncGenerator<ListObjectVersionsCommandOutput> {
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker, VersionIdMarker }),
    );
    yield page;
    KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker !== undefined);
}
