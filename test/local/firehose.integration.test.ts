import { DeleteDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { Stack } from 'aws-cdk-lib';
import { newLogvaultApp } from '../../lib/app';
import { StageConfig } from '../../core/config/stage-config';
import { Ingestion } from '../../lib/ingestion/ingestion';
import { DataStack } from '../../lib/stacks/data-stack';
import { LoadResult, StackTemplate, loadTemplates } from '../../local/template-loader';
import { readDeliveryStreamAsTemplate } from '../../core/audit/live/delivery-stream';
import { readLogGroupAsTemplate } from '../../core/audit/live/log-group';
import { LOCAL_REGION, freshAccount, uniqueSuffix, useStandins } from '../support/standins';

/** The data stack and a compute stack holding only the ingestion construct, as the stage builds them. */
function synthIngestion(config: StageConfig): Record<string, StackTemplate['template']> {
  const app = newLogvaultApp();
  const data = new DataStack(app, `Logvault-${config.stage}-Data`, { config });
  const compute = new Stack(app, `Logvault-${config.stage}-Compute`);
  new Ingestion(compute, 'Ingestion', { config, data });
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
}

/**
 * The ingestion resources of a synthesized stage, replayed on moto: streams
 * and error log groups keep the template's settings, and a record put into a
 * stream lands under the prefix with Firehose's UTC hour layout.
 */
describe('delivery streams on the stand-in', () => {
  const clients = useStandins();
  // A stage of its own so stream names never collide with other test files on the shared moto.
  const stage = `in${uniqueSuffix()}`;
  const data = `Logvault-${stage}-Data`;
  const compute = `Logvault-${stage}-Compute`;
  const templates = synthIngestion({ ...loadStageConfig('dev'), stage });
  let load: LoadResult;

  beforeAll(async () => {
    load = await loadTemplates(
      [
        { stackName: data, template: templates[data] },
        { stackName: compute, template: templates[compute] },
      ],
      clients,
      { accountId: freshAccount(), region: LOCAL_REGION },
    );
  });

  afterAll(async () => {
    // moto caps streams per region at 50 and is shared across runs.
    for (const r of load?.resources.filter(
      (r) => r.type === 'AWS::KinesisFirehose::DeliveryStream' && r.status === 'created',
    ) ?? [])
      await clients.firehose.send(
        new DeleteDeliveryStreamCommand({ DeliveryStreamName: r.detail }),
      );
  });

  const created = (type: string) =>
    load.resources.filter((r) => r.stackName === compute && r.type === type);

  it('creates every ingestion resource (data stack: see template-loader.integration.test.ts)', () => {
    expect(
      load.resources.filter(
        (r) => r.stackName === compute && (r.status === 'failed' || r.status === 'unsupported'),
      ),
    ).toEqual([]);
    expect(
      created('AWS::KinesisFirehose::DeliveryStream')
        .map((r) => r.detail)
        .sort(),
    ).toEqual([`logvault-${stage}-acme-1`, `logvault-${stage}-ocsp-1`]);
  });

  it('round-trips each stream: destination, prefixes, compression, buffering, keys, error logging', async () => {
    for (const stream of created('AWS::KinesisFirehose::DeliveryStream')) {
      const live = await readDeliveryStreamAsTemplate(clients.firehose, stream.detail);
      const declared = load.properties.get(`${compute}/${stream.logicalId}`)!;
      expect(live).toEqual({
        DeliveryStreamName: declared.DeliveryStreamName,
        DeliveryStreamType: declared.DeliveryStreamType,
        DeliveryStreamEncryptionConfigurationInput:
          declared.DeliveryStreamEncryptionConfigurationInput,
        ExtendedS3DestinationConfiguration: declared.ExtendedS3DestinationConfiguration,
      });
    }
  });

  it('round-trips each log group (two error logs and the transformation function): name, retention, key, data-class tag', async () => {
    const groups = created('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      const live = await readLogGroupAsTemplate(clients.logs, group.detail);
      const declared = load.properties.get(`${compute}/${group.logicalId}`)!;
      expect(live).toEqual({
        LogGroupName: declared.LogGroupName,
        RetentionInDays: declared.RetentionInDays,
        KmsKeyId: declared.KmsKeyId,
        Tags: [...(declared.Tags as { Key: string }[])].sort((a, b) => a.Key.localeCompare(b.Key)),
      });
    }
  });

  it('lands a put batch under ocsp/YYYY/MM/dd/HH/ of the raw-log bucket', async () => {
    const before = new Date();
    await clients.firehose.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: `logvault-${stage}-ocsp-1`,
        Records: [{ Data: Buffer.from('{"a":1}\n') }, { Data: Buffer.from('{"a":2}\n') }],
      }),
    );
    const destination = load.properties.get(
      `${compute}/${created('AWS::KinesisFirehose::DeliveryStream').find((r) => r.detail.endsWith('ocsp-1'))!.logicalId}`,
    )!.ExtendedS3DestinationConfiguration as { BucketARN: string };
    const bucket = destination.BucketARN.split(':::')[1];
    const { Contents } = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'ocsp/' }),
    );
    expect(Contents).toHaveLength(1);
    const hour = before.toISOString().slice(0, 13).replace(/[-T]/g, '/');
    expect(Contents![0].Key).toMatch(new RegExp(`^ocsp/${hour}/logvault-${stage}-ocsp-1-1-`));
    const body = await clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: Contents![0].Key }),
    );
    expect(await body.Body!.transformToString()).toBe('{"a":1}\n{"a":2}\n');
  });
});
