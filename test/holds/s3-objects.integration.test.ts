import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { readLines } from '../../core/holds/s3-objects';
import { uniqueSuffix, useOwnAccount } from '../support/standins';

/**
 * A content filter reads each listed version's lines. A version deleted
 * between the listing and the read (an admin insider purging a log the case
 * covers) must stop the step with the object named, never read as an object
 * with no lines, which the filter would hold nothing of.
 */
describe('readLines of a hold', () => {
  it('reads a GZIP log version, and names the bucket, key and version of one that vanished', async () => {
    const { clients } = await useOwnAccount();
    const bucket = `logvault-readlines-${uniqueSuffix()}`;
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const key = 'ocsp/2026/11/29/10/part-1.gz';
    const put = await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync('{"a":1}\n\n{"a":2}\n') }),
    );
    const version = { bucket, key, versionId: put.VersionId!, size: 0 };
    expect(await readLines(clients.s3, version)).toEqual(['{"a":1}', '{"a":2}']);

    await clients.s3.send(
      new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: put.VersionId }),
    );
    await expect(readLines(clients.s3, version)).rejects.toThrow(
      `s3://${bucket}/${key} (version ${put.VersionId}) no longer exists`,
    );
  });
});
