import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  PublicationMetadata,
  ReleaseFacts,
  publicationMetadata,
  releaseFactsSchema,
} from './metadata';
import { PreparedRelease } from './prepare';
import { prefixes } from '../../naming';

/**
 * Writes a day's release once and never again. The data object is the
 * commit point, written with `If-None-Match: *` (S3 refuses with 412 when
 * the key has a current version; with 409 when a concurrent write races);
 * the sidecar follows, rebuilt from the data object when a run died in
 * between. A second run for the same day writes nothing new: it reports the
 * day as already published, and its own freshly drawn noise is discarded,
 * so no two noisy versions of a day ever exist to be averaged or diffed.
 * `If-None-Match` only sees the current version, so a day whose object was
 * deleted (a delete marker) or overwritten is refused outright, from the
 * bucket's version history: the bucket must be versioned.
 */

export const publicationLayout = {
  data: (day: string) => `${prefixes.publishedOcspCertDaily}day=${day}/ocsp_cert_daily-${day}.csv`,
  metadata: (day: string) => `${prefixes.publishedOcspCertDaily}day=${day}/_metadata.json`,
} as const;

/** User-metadata key (x-amz-meta-…) carrying the release facts on the data object. */
const FACTS_HEADER = 'logvault-release';
const CONFLICT_RETRIES = 5;

export interface PublishOutcome {
  /** `published` by this call, or `already-published` earlier (nothing was replaced). */
  readonly status: 'published' | 'already-published';
  readonly dataKey: string;
  readonly metadataKey: string;
  readonly metadata: PublicationMetadata;
}

/** A day whose published object was deleted or replaced: it is never published again. */
export class RepublicationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepublicationRefusedError';
  }
}

export async function publishOnce(
  s3: S3Client,
  bucket: string,
  release: PreparedRelease,
): Promise<PublishOutcome> {
  const dataKey = publicationLayout.data(release.day);
  const metadataKey = publicationLayout.metadata(release.day);
  await refuseRepublication(s3, bucket, dataKey);

  const written = await putIfAbsent(s3, bucket, dataKey, release.body, {
    ContentType: 'text/csv; charset=utf-8; header=present',
    Metadata: { [FACTS_HEADER]: JSON.stringify(release.facts) },
  });
  const committed = written
    ? { body: release.body, facts: release.facts }
    : await readCommitted(s3, bucket, dataKey);
  // Our own body back means our write landed and only its answer was lost.
  const status = committed.body === release.body ? 'published' : 'already-published';

  const metadata = publicationMetadata(committed.facts, committed.body);
  const sidecar = `${JSON.stringify(metadata, null, 2)}\n`;
  if (!(await putIfAbsent(s3, bucket, metadataKey, sidecar, { ContentType: 'application/json' }))) {
    const existing = await readText(s3, bucket, metadataKey);
    if (existing !== sidecar)
      throw new RepublicationRefusedError(
        `s3://${bucket}/${metadataKey} does not describe the published data of ${release.day}; ` +
          `it was written by something else: investigate before anyone relies on it`,
      );
  }
  return { status, dataKey, metadataKey, metadata };
}

async function refuseRepublication(s3: S3Client, bucket: string, key: string): Promise<void> {
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  if (versioning.Status !== 'Enabled')
    throw new RepublicationRefusedError(
      `bucket ${bucket} is not versioned: without version history a deleted day could be ` +
        `published again with new noise; enable versioning before publishing`,
    );
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  const versions = (listed.Versions ?? []).filter((v) => v.Key === key);
  const deletions = (listed.DeleteMarkers ?? []).filter((m) => m.Key === key);
  if (deletions.length > 0 || versions.length > 1)
    throw new RepublicationRefusedError(
      `s3://${bucket}/${key} was ${deletions.length > 0 ? 'deleted' : 'replaced'} after it was ` +
        `published (${versions.length} versions, ${deletions.length} delete markers): a published ` +
        `day is never published again, since two noisy versions of one day reveal more than one`,
    );
}

/** PutObject with If-None-Match: *; false when the key already has a current version. */
async function putIfAbsent(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  extra: { ContentType: string; Metadata?: Record<string, string> },
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, IfNoneMatch: '*', ...extra }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof S3ServiceException)) throw error;
      if (error.name === 'PreconditionFailed') return false;
      // A concurrent write to the key: retry; the loser then sees 412.
      if (error.name !== 'ConditionalRequestConflict' || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString('utf-8');
}

async function readCommitted(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ body: string; facts: ReleaseFacts }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const facts = releaseFactsSchema.safeParse(parseJson(object.Metadata?.[FACTS_HEADER]));
  if (!facts.success)
    throw new RepublicationRefusedError(
      `s3://${bucket}/${key} exists without valid release facts (x-amz-meta-${FACTS_HEADER}): ` +
        `it was not written by the publication; investigate before publishing this day`,
    );
  return { body: await object.Body!.transformToString('utf-8'), facts: facts.data };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
