import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { awsProfile } from '../../local/latency-proxy/profiles';
import { LatencyProxy, startLatencyProxy } from '../../local/latency-proxy/server';
import { LOCAL_REGION, uniqueSuffix, useStandins } from '../support/standins';

/**
 * The AWS SDK v3 S3 client through the proxy against moto: the calls the
 * hold and seal paths make work unchanged, take at least the modelled
 * latency, and ride out SlowDown with the SDK's own retries. Signatures are
 * checked by a moto of the test's own with IAM authentication switched on.
 */

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

describe('latency proxy in front of moto', () => {
  useStandins();
  const target = process.env.AWS_ENDPOINT_URL!;
  const proxies: LatencyProxy[] = [];
  const client = (proxy: LatencyProxy, maxAttempts = 3) =>
    new S3Client({
      endpoint: proxy.url,
      region: LOCAL_REGION,
      forcePathStyle: true,
      credentials,
      maxAttempts,
    });

  afterAll(() => Promise.all(proxies.map((p) => p.close())));

  it('carries the S3 calls of holds and sealing, each no faster than the model', async () => {
    const proxy = await startLatencyProxy({ target, profile: awsProfile });
    proxies.push(proxy);
    const s3 = client(proxy);
    const Bucket = `latency-${uniqueSuffix()}`;
    const Key = 'acme/2026/11/30/05/object';
    const body = randomBytes(5 * 1024 * 1024);
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));

    const [put, putMs] = await timed(() =>
      s3.send(new PutObjectCommand({ Bucket, Key, Body: body, ChecksumAlgorithm: 'SHA256' })),
    );
    const [got, getMs] = await timed(async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket, Key }));
      return out.Body!.transformToByteArray();
    });
    const [, holdMs] = await timed(() =>
      s3.send(
        new PutObjectLegalHoldCommand({
          Bucket,
          Key,
          VersionId: put.VersionId,
          LegalHold: { Status: 'ON' },
          ChecksumAlgorithm: 'SHA256',
        }),
      ),
    );
    const [listed, listMs] = await timed(() =>
      s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'acme/' })),
    );
    const hold = await s3.send(
      new GetObjectLegalHoldCommand({ Bucket, Key, VersionId: put.VersionId }),
    );

    expect(sha256(got)).toBe(sha256(body));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([put.VersionId]);
    expect(hold.LegalHold?.Status).toBe('ON');
    for (const ms of [putMs, getMs, holdMs]) expect(ms).toBeGreaterThanOrEqual(20);
    expect(listMs).toBeGreaterThanOrEqual(60);
    const ops = proxy.stats().operations;
    for (const op of ['PutObject', 'GetObject', 'PutObjectLegalHold', 'ListObjectVersions'])
      expect(ops[`s3:${op}`]).toMatchObject({ requests: 1, slowDowns: 0, upstreamErrors: 0 });
  });

  it('lets the SDK retry through SlowDown until every write lands', async () => {
    const proxy = await startLatencyProxy({
      target,
      profile: { ...awsProfile, s3RatePerPrefix: { write: 4, read: 5500 } },
    });
    proxies.push(proxy);
    const Bucket = `latency-slow-${uniqueSuffix()}`;
    const direct = new S3Client({ region: LOCAL_REGION, forcePathStyle: true, credentials });
    await direct.send(new CreateBucketCommand({ Bucket }));
    const s3 = client(proxy, 10);
    const keys = Array.from({ length: 12 }, (_, i) => `hot/object-${i}`);

    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));

    const listed = await direct.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => v.Key).sort()).toEqual([...keys].sort());
    expect(proxy.stats().operations['s3:PutObject'].slowDowns).toBeGreaterThan(0);
  });
});

describe('latency proxy and SigV4 (moto with IAM authentication on)', () => {
  let moto: ChildProcess;
  let endpoint: string;
  let proxy: LatencyProxy;

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    // The first four actions (the setup below) run unauthenticated; every later one is checked.
    moto = spawn(
      join(__dirname, '../../.venv/bin/moto_server'),
      ['-H', '127.0.0.1', '-p', `${port}`],
      {
        env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '4' },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${endpoint}/moto-api/`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(100);
    }
    proxy = await startLatencyProxy({ target: endpoint, profile: awsProfile });
  }, 30_000);

  afterAll(async () => {
    await proxy?.close();
    moto?.kill();
  });

  it('keeps signatures valid, and moto still refuses a forged one', async () => {
    const iam = new IAMClient({ endpoint, region: LOCAL_REGION, credentials, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'bench' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'bench',
        PolicyName: 's3',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey!;
    const setup = new S3Client({
      endpoint,
      region: LOCAL_REGION,
      forcePathStyle: true,
      credentials,
    });
    await setup.send(new CreateBucketCommand({ Bucket: 'signed' }));
    const through = (secretAccessKey: string) =>
      new S3Client({
        endpoint: proxy.url,
        region: LOCAL_REGION,
        forcePathStyle: true,
        maxAttempts: 1,
        credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey },
      });

    await expect(
      through('forged').send(new PutObjectCommand({ Bucket: 'signed', Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });

    const genuine = through(key.SecretAccessKey!);
    await genuine.send(new PutObjectCommand({ Bucket: 'signed', Key: 'k', Body: 'signed body' }));
    const read = await genuine.send(new GetObjectCommand({ Bucket: 'signed', Key: 'k' }));
    expect(await read.Body!.transformToString()).toBe('signed body');
  });
});
