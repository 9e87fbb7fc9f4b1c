import {
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';

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
