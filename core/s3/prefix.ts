import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { objectPages } from './pagers';

/**
 * Deletes every current object under a prefix (a versioned bucket keeps the
 * old versions behind delete markers). Returns how many keys were deleted.
 */
export async function emptyPrefix(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  if (!prefix.endsWith('/')) throw new Error(`prefix must end with "/": ${prefix}`);
  let deleted = 0;
  for await (const page of objectPages(s3, bucket, prefix)) {
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length > 0) {
      const result = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      if (result.Errors?.length)
        throw new Error(
          `could not delete ${result.Errors.length} objects under s3://${bucket}/${prefix}: ` +
            `${result.Errors[0].Key}: ${result.Errors[0].Code}`,
        );
      deleted += keys.length;
    }
  }
  return deleted;
}
