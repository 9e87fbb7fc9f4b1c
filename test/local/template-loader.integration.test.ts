import { GetBucketLoggingCommand, GetBucketOwnershipControlsCommand } from '@aws-sdk/client-s3';
import { DescribeKeyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { loadTemplates, notEmulated } from '../../local/template-loader';
import { keyArnParameterName } from '../../core/naming';
import { parseStageConfig } from '../../core/config/load-stage-config';
import { stages } from '../../core/config/stages';
import { readBucketAsTemplate } from '../../core/audit/live/bucket';
import { synthStage } from '../support/synth';
import { LOCAL_REGION, OwnAccount, freshAccount, useOwnAccount } from '../support/standins';

/** Properties the loader must reproduce exactly, per resource type. */
const roundTripped = [
  'BucketName',
  'VersioningConfiguration',
  'ObjectLockEnabled',
  'ObjectLockConfiguration',
  'LifecycleConfiguration',
  'BucketEncryption',
  'PublicAccessBlockConfiguration',
  'Tags',
];
const pick = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

describe('template loader on the stand-in (prod data stack)', () => {
  let clients: OwnAccount['clients'];
  const { templates } = synthStage('prod');
  const stackName = 'Logvault-prod-Data';
  let load: Awaited<ReturnType<typeof loadTemplates>>;

  beforeAll(async () => {
    // An account of its own: the stage's alias, roles, tables and log groups are this file's alone.
    let accountId: string;
    ({ clients, accountId } = await useOwnAccount());
    load = await loadTemplates([{ stackName, template: templates[stackName] }], clients, {
      accountId,
      region: LOCAL_REGION,
    });
  });

  it('creates every resource and reports the ones it skips', () => {
    expect(
      load.resources.filter((r) => r.status === 'failed' || r.status === 'unsupported'),
    ).toEqual([]);
    for (const skipped of load.resources.filter((r) => r.status === 'skipped'))
      expect(notEmulated[skipped.type]).toBe(skipped.detail);
  });

  it('round-trips every bucket setting that carries a retention promise', async () => {
    const buckets = load.resources.filter((r) => r.type === 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(7);
    for (const bucket of buckets) {
      const live = await readBucketAsTemplate(clients.s3, bucket.detail);
      const declared = load.properties.get(`${stackName}/${bucket.logicalId}`)!;
      expect(pick(live, roundTripped)).toEqual(pick(declared, roundTripped));
    }
  });

  it('enables access logging and bucket-owner-enforced ownership', async () => {
    const raw = load.resources.find(
      (r) => r.logicalId.startsWith('OcspRawLogsBucket') && r.type === 'AWS::S3::Bucket',
    )!;
    const logging = await clients.s3.send(new GetBucketLoggingCommand({ Bucket: raw.detail }));
    expect(logging.LoggingEnabled?.TargetPrefix).toBe('ocsp-raw/');
    const ownership = await clients.s3.send(
      new GetBucketOwnershipControlsCommand({ Bucket: raw.detail }),
    );
    expect(ownership.OwnershipControls?.Rules?.[0].ObjectOwnership).toBe('BucketOwnerEnforced');
  });

  it('creates the storage key with rotation on', async () => {
    const key = load.resources.find((r) => r.type === 'AWS::KMS::Key')!;
    const described = await clients.kms.send(new DescribeKeyCommand({ KeyId: key.detail }));
    expect(described.KeyMetadata?.Description).toMatch(/logvault prod/);
    const rotation = await clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: key.detail }));
    expect(rotation.KeyRotationEnabled).toBe(true);
  });

  it('reports a resource type it cannot create instead of skipping it silently', async () => {
    const result = await loadTemplates(
      [
        {
          stackName: 'Odd',
          template: { Resources: { Thing: { Type: 'AWS::Unknown::Thing', Properties: {} } } },
        },
      ],
      clients,
      { accountId: freshAccount(), region: LOCAL_REGION },
    );
    expect(result.resources).toEqual([
      {
        stackName: 'Odd',
        logicalId: 'Thing',
        type: 'AWS::Unknown::Thing',
        status: 'unsupported',
        detail: 'no local creator',
      },
    ]);
  });

  it("hands the compute stack the data stack's key ARNs through SSM parameters, not exports", async () => {
    // A stage of its own: moto keeps workgroups across tests and answers a duplicate with a 500.
    const stage = `ld${Math.random().toString(36).slice(2, 5)}`;
    const own = synthStage(parseStageConfig({ ...(stages.dev as object), stage })).templates;
    const stacks = [`Logvault-${stage}-Data`, `Logvault-${stage}-Compute`].map((name) => ({
      stackName: name,
      template: own[name],
    }));
    const result = await loadTemplates(stacks, clients, {
      accountId: freshAccount(),
      region: LOCAL_REGION,
    });
    expect(result.resources.filter((r) => r.status === 'failed')).toEqual([]);
    expect(result.exports.size).toBe(0);
    const storageKeyArn = result.ssmParameters.get(keyArnParameterName(stage, 'storage'))!;
    const created = result.resources.find(
      (r) => r.stackName === `Logvault-${stage}-Data` && r.logicalId.startsWith('StorageKey'),
    )!;
    expect(storageKeyArn).toMatch(new RegExp(`:key/${created.detail}$`));
    const stream = result.resources.find((r) => r.type === 'AWS::KinesisFirehose::DeliveryStream')!;
    const { DeliveryStreamDescription: described } = await clients.firehose.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: stream.detail }),
    );
    const s3 = described?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    expect(s3?.EncryptionConfiguration?.KMSEncryptionConfig?.AWSKMSKeyARN).toBe(storageKeyArn);
  });
});
