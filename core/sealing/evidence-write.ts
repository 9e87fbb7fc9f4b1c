import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sha256Base64 } from '../s3/objects';
import { LockPolicy, retainUntil } from './lock-policy';

/** Where sealing evidence (digests, anchors) is written: the archive, under its lock. */
export interface EvidenceTarget {
  readonly s3: S3Client;
  readonly archiveBucket: string;
  readonly lock: LockPolicy;
}

/**
 * Writes one piece of sealing evidence as JSON into the archive, once: S3
 * refuses a second write of the key (If-None-Match) and a body damaged on the
 * way (its SHA-256), and the stage's lock from `now` keeps it from an admin.
 */
export async function writeEvidenceOnce(
  target: EvidenceTarget,
  key: string,
  body: Buffer,
  now: Date,
  metadata?: Record<string, string>,
): Promise<void> {
  await target.s3.send(
    new PutObjectCommand({
      Bucket: target.archiveBucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      ...(metadata ? { Metadata: metadata } : {}),
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: sha256Base64(body),
      ObjectLockMode: target.lock.mode,
      ObjectLockRetainUntilDate: retainUntil(target.lock, now),
    }),
  );
}
