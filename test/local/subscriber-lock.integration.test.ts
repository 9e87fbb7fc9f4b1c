import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { loadTemplates } from '../../local/template-loader';
import { synthStage } from '../support/synth';
import { LOCAL_REGION, OwnAccount, useOwnAccount } from '../support/standins';

describe.each([
  ['dev', 'GOVERNANCE', true],
  ['prod', 'COMPLIANCE', false],
])('subscriber archive of stage %s on the stand-in', (stage, mode, bypassable) => {
  let clients: OwnAccount['clients'];
  let accountId: string;
  let bucket: string;

  beforeAll(async () => {
    // An account of its own: the stage's alias, roles, tables and log groups are this file's alone.
    ({ clients, accountId } = await useOwnAccount());
    const { templates } = synthStage(stage);
    const stackName = `Logvault-${stage}-Data`;
    const { resources } = await loadTemplates(
      [{ stackName, template: templates[stackName] }],
      clients,
      {
        accountId,
        region: LOCAL_REGION,
      },
    );
    // Skipped is fine (the auto-delete custom resources of a non-production stage).
    expect(resources.filter((r) => r.status === 'failed' || r.status === 'unsupported')).toEqual(
      [],
    );
    bucket = resources.find(
      (r) => r.logicalId.startsWith('SubscriberArchiveBucket') && r.type === 'AWS::S3::Bucket',
    )!.detail;
  });

  it('is versioned and applies the default retention to new objects', async () => {
    const versioning = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(versioning.Status).toBe('Enabled');
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'acme/a.json',
        Body: '{"a":1}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const head = await clients.s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'acme/a.json' }),
    );
    expect(head.ObjectLockMode).toBe(mode);
    expect(head.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThan(
      Date.now() + 23 * 3600 * 1000,
    );
  });

  it('refuses to delete an object version before its retention date', async () => {
    const put = await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'acme/b.json',
        Body: '{"b":2}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    await expect(
      clients.s3.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: 'acme/b.json', VersionId: put.VersionId }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const head = await clients.s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'acme/b.json', VersionId: put.VersionId }),
    );
    expect(head.VersionId).toBe(put.VersionId);
  });

  it(`${bypassable ? 'lets' : 'never lets'} an admin bypass the ${mode} lock`, async () => {
    const put = await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'acme/c.json',
        Body: '{"c":3}\n',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const bypass = clients.s3.send(
      new DeleteObjectCommand({
        Bucket: bucket,
        Key: 'acme/c.json',
        VersionId: put.VersionId,
        BypassGovernanceRetention: true,
      }),
    );
    if (bypassable) await expect(bypass).resolves.toBeDefined();
    else await expect(bypass).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
