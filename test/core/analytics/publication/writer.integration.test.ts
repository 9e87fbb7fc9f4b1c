import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  BoundedCount,
  PUBLICATION_PARAMETERS,
  PreparedRelease,
  RepublicationRefusedError,
  prepareRelease,
  publicationLayout,
  publicationWindow,
  publishOnce,
} from '../../../../core/analytics/publication';
import { useStandins, uniqueSuffix } from '../../../support/standins';

/**
 * The writer against S3 (moto): a day is published once, and every way of
 * getting a second, differently noised version of it out (the differencing
 * attack) is refused. Moto honours If-None-Match: * with 412 like S3, in
 * versioned buckets too; it accepts other If-None-Match values, which S3
 * refuses, so the test checks that the writer only ever sends `*`.
 */
describe('publishing a day once', () => {
  const { s3 } = useStandins();
  const day = '2026-11-20';
  const now = publicationWindow(day, PUBLICATION_PARAMETERS.latenessHours).finalAt;
  const ISSUER = '12'.repeat(20);
  const before: BoundedCount[] = Array.from({ length: 30 }, (_, i) => ({
    issuerKeyHash: ISSUER,
    serial: i.toString(16).padStart(4, '0'),
    boundedRequests: 200 + 10 * i,
  }));
  // The same day once more, with a client who came in between: a second noisy version to diff.
  const after = before.map((c, i) =>
    i === 0 ? { ...c, boundedRequests: c.boundedRequests + 1 } : c,
  );
  const release = (counts: BoundedCount[]): PreparedRelease =>
    prepareRelease(day, counts, PUBLICATION_PARAMETERS, { now });

  async function versionedBucket(versioned = true): Promise<string> {
    const bucket = `publication-${uniqueSuffix()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (versioned)
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
    return bucket;
  }
  const read = async (bucket: string, key: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  const history = async (bucket: string) => {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    return {
      versions: listed.Versions?.length ?? 0,
      deleteMarkers: listed.DeleteMarkers?.length ?? 0,
    };
  };

  it('writes the data, then a sidecar that describes it, with If-None-Match: * only', async () => {
    const bucket = await versionedBucket();
    const conditions: (string | undefined)[] = [];
    const observed = new S3Client({ region: process.env.AWS_REGION, forcePathStyle: true });
    observed.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
        if ((args.request as { method?: string }).method === 'PUT')
          conditions.push(headers['if-none-match']);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'observeConditions' },
    );
    const a = release(before);
    const outcome = await publishOnce(observed, bucket, a);

    expect(outcome.status).toBe('published');
    expect(conditions).toEqual(['*', '*']);
    expect(await read(bucket, publicationLayout.data(day))).toBe(a.body);
    const sidecar = JSON.parse(await read(bucket, publicationLayout.metadata(day)));
    expect(sidecar).toEqual(JSON.parse(JSON.stringify(outcome.metadata)));
    expect(sidecar).toMatchObject({
      day,
      final: true,
      rows: a.facts.rows,
      privacy: { epsilon: 1 },
    });
    expect(sidecar.sha256).toBe(createHash('sha256').update(a.body).digest('hex'));
    expect(await history(bucket)).toEqual({ versions: 2, deleteMarkers: 0 });
  });

  it('differencing attack: a second publication with new records and new noise changes nothing', async () => {
    const bucket = await versionedBucket();
    const first = release(before);
    await publishOnce(s3, bucket, first);
    const second = release(after);
    expect(second.body).not.toBe(first.body);

    const outcome = await publishOnce(s3, bucket, second);
    expect(outcome.status).toBe('already-published');
    expect(await read(bucket, publicationLayout.data(day))).toBe(first.body);
    expect(outcome.metadata.sha256).toBe(createHash('sha256').update(first.body).digest('hex'));
    // No second version exists anywhere to diff against.
    expect(await history(bucket)).toEqual({ versions: 2, deleteMarkers: 0 });
  });

  it('treats a retry whose first answer was lost as the success it was', async () => {
    const bucket = await versionedBucket();
    const a = release(before);
    await publishOnce(s3, bucket, a);
    expect((await publishOnce(s3, bucket, a)).status).toBe('published');
    expect(await history(bucket)).toEqual({ versions: 2, deleteMarkers: 0 });
  });

  it('lets exactly one of two concurrent runs publish', async () => {
    const bucket = await versionedBucket();
    const [a, b] = [release(before), release(after)];
    const outcomes = await Promise.all([publishOnce(s3, bucket, a), publishOnce(s3, bucket, b)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-published', 'published']);
    const winner = outcomes[0].status === 'published' ? a : b;
    expect(await read(bucket, publicationLayout.data(day))).toBe(winner.body);
    expect(outcomes[1].metadata).toEqual(outcomes[0].metadata);
    expect(await history(bucket)).toEqual({ versions: 2, deleteMarkers: 0 });
  });

  it('rebuilds the sidecar of a run that died after writing the data, without new noise', async () => {
    const bucket = await versionedBucket();
    const died = release(before);
    // The first half of publishOnce, as a run that crashed right after it left it.
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: publicationLayout.data(day),
        Body: died.body,
        IfNoneMatch: '*',
        Metadata: { 'logvault-release': JSON.stringify(died.facts) },
      }),
    );
    const outcome = await publishOnce(s3, bucket, release(after));
    expect(outcome.status).toBe('already-published');
    expect(outcome.metadata.publishedAt).toBe(died.facts.publishedAt);
    expect(outcome.metadata.sha256).toBe(createHash('sha256').update(died.body).digest('hex'));
    expect(JSON.parse(await read(bucket, publicationLayout.metadata(day))).rows).toBe(
      died.facts.rows,
    );
  });

  it('refuses a day whose published object was deleted, leaving the bucket as it was', async () => {
    const bucket = await versionedBucket();
    await publishOnce(s3, bucket, release(before));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: publicationLayout.data(day) }));
    await expect(publishOnce(s3, bucket, release(after))).rejects.toThrow(
      /was deleted after it was published .*never published again/,
    );
    expect(await history(bucket)).toEqual({ versions: 2, deleteMarkers: 1 });
  });

  it('refuses a day overwritten without the condition (an insider with plain PutObject)', async () => {
    const bucket = await versionedBucket();
    await publishOnce(s3, bucket, release(before));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: publicationLayout.data(day), Body: 'forged' }),
    );
    await expect(publishOnce(s3, bucket, release(after))).rejects.toThrow(
      RepublicationRefusedError,
    );
    await expect(publishOnce(s3, bucket, release(after))).rejects.toThrow(/was replaced/);
  });

  it('refuses an object at the day key that the publication did not write', async () => {
    const bucket = await versionedBucket();
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: publicationLayout.data(day), Body: 'x,y\r\n' }),
    );
    await expect(publishOnce(s3, bucket, release(before))).rejects.toThrow(
      /without valid release facts/,
    );
  });

  it('refuses to publish into an unversioned bucket, writing nothing', async () => {
    const bucket = await versionedBucket(false);
    await expect(publishOnce(s3, bucket, release(before))).rejects.toThrow(
      /is not versioned.*enable versioning/,
    );
    expect(await history(bucket)).toEqual({ versions: 0, deleteMarkers: 0 });
  });

  it('retries when S3 reports a concurrent conditional write (409)', async () => {
    // S3 answers 409 ConditionalRequestConflict only when two conditional
    // writes race inside S3; moto cannot produce that on demand, so this one
    // test injects it once through the SDK's middleware stack.
    const bucket = await versionedBucket();
    const flaky = new S3Client({ region: process.env.AWS_REGION, forcePathStyle: true });
    let injected = 0;
    flaky.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && injected === 0) {
          injected++;
          throw new S3ServiceException({
            name: 'ConditionalRequestConflict',
            $fault: 'client',
            $metadata: { httpStatusCode: 409 },
            message: 'A conflicting operation occurred',
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectConflict' },
    );
    const a = release(before);
    expect((await publishOnce(flaky, bucket, a)).status).toBe('published');
    expect(injected).toBe(1);
    expect(await read(bucket, publicationLayout.data(day))).toBe(a.body);
  });
});
