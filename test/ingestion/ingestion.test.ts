import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bucketName } from '../../core/naming';
import { DEPLOYED } from '../../lib/placement';
import { LogDelivery, LogDeliveryProps } from '../../lib/ingestion/log-delivery';
import { synthStage } from '../support/synth';

const resources = (stage: string, type: string) =>
  Object.values(synthStage(stage).templates[`Logvault-${stage}-Compute`].Resources ?? {}).filter(
    (r) => r.Type === type,
  ) as { Properties: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(['dev', 'prod'])('delivery streams of stage %s', (stage) => {
  const config = synthStage(stage).config;
  const streams = resources(stage, 'AWS::KinesisFirehose::DeliveryStream').map((r) => r.Properties);

  it('creates streamCount DirectPut streams per log type, named logvault-<stage>-<type>-<n>', () => {
    const expected = [
      ...Array.from(
        { length: config.ingestion.streamCount.ocsp },
        (_, i) => `logvault-${stage}-ocsp-${i + 1}`,
      ),
      ...Array.from(
        { length: config.ingestion.streamCount.acme },
        (_, i) => `logvault-${stage}-acme-${i + 1}`,
      ),
    ];
    expect(streams.map((s) => s.DeliveryStreamName).sort()).toEqual(expected.sort());
    for (const s of streams) expect(s.DeliveryStreamType).toBe('DirectPut');
  });

  it('lands OCSP under ocsp/ and ACME under acme/, errors beside them, GZIP, KMS, buffered per config', () => {
    for (const s of streams) {
      const type = s.DeliveryStreamName.split('-')[2];
      const d = s.ExtendedS3DestinationConfiguration;
      expect(d.Prefix).toBe(`${type}/`);
      expect(d.ErrorOutputPrefix).toBe(`${type}-errors/`);
      expect(d.CompressionFormat).toBe('GZIP');
      expect(d.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toBeDefined();
      expect(s.DeliveryStreamEncryptionConfigurationInput.KeyType).toBe('CUSTOMER_MANAGED_CMK');
      expect(d.BufferingHints).toEqual({
        IntervalInSeconds: config.ingestion.buffering.intervalSeconds,
        SizeInMBs: config.ingestion.buffering.sizeMiB,
      });
      expect(d.CloudWatchLoggingOptions.Enabled).toBe(true);
      expect(d.CloudWatchLoggingOptions.LogStreamName.Ref).toMatch(/ErrorLogStream/);
    }
  });

  it('keeps OCSP error logs only as long as OCSP data', () => {
    const groups = resources(stage, 'AWS::Logs::LogGroup').map((r) => r.Properties);
    const ocsp = groups.find((g) => g.LogGroupName === `/logvault/${stage}/firehose/ocsp`)!;
    expect(ocsp.RetentionInDays).toBe(config.ocsp.logRetentionDays);
    expect(ocsp.Tags).toContainEqual({ Key: 'logvault:data-class', Value: 'ocsp-personal' });
    expect(ocsp.KmsKeyId).toBeDefined();
    const acme = groups.find((g) => g.LogGroupName === `/logvault/${stage}/firehose/acme`)!;
    expect(acme.RetentionInDays).toBe(config.ingestion.acmeErrorLogRetentionDays);
  });

  it("gives each log type's producers a policy to send to, and describe, that type's streams only", () => {
    const policies = resources(stage, 'AWS::IAM::ManagedPolicy').map((r) => r.Properties);
    for (const type of ['ocsp', 'acme'] as const) {
      const policy = policies.find(
        (p) => p.ManagedPolicyName === `logvault-${stage}-${type}-producer`,
      )!;
      const [statement, ...others] = policy.PolicyDocument.Statement;
      expect(others).toEqual([]);
      expect([statement.Action].flat().sort()).toEqual([
        'firehose:DescribeDeliveryStream',
        'firehose:PutRecord',
        'firehose:PutRecordBatch',
      ]);
      const arns = [statement.Resource].flat().map((r) => JSON.stringify(r));
      expect(arns).toHaveLength(config.ingestion.streamCount[type]);
      arns.forEach((arn, i) => {
        expect(arn).toContain(`:deliverystream/logvault-${stage}-${type}-${i + 1}"`);
        expect(arn).not.toContain('*');
      });
    }
  });

  it('names the same buckets as the data stack', () => {
    const data = synthStage(stage).templates[`Logvault-${stage}-Data`];
    const names = Object.values(data.Resources ?? {})
      .filter((r) => r.Type === 'AWS::S3::Bucket')
      .map((r) => JSON.stringify(r.Properties?.BucketName));
    const stack = new Stack();
    for (const purpose of ['ocsp-raw', 'subscriber-landing'] as const)
      expect(names).toContain(JSON.stringify(stack.resolve(bucketName(stage, purpose, DEPLOYED))));
  });
});

describe('LogDelivery', () => {
  function deploy(overrides: Partial<LogDeliveryProps> = {}): Template {
    const stack = new Stack(new App(), 'Test');
    new LogDelivery(stack, 'Ocsp', {
      stage: 'test',
      logType: 'ocsp',
      streamCount: 2,
      bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'logvault-test-1-r-ocsp-raw'),
      bucketPurpose: 'ocsp-raw',
      encryptionKey: new kms.Key(stack, 'Key'),
      prefix: 'ocsp/',
      errorPrefix: 'ocsp-errors/',
      bufferingIntervalSeconds: 60,
      bufferingSizeMiB: 5,
      errorLogDataClass: 'ocsp-personal',
      errorLogRetention: logs.RetentionDays.FIVE_DAYS,
      ...overrides,
    });
    return Template.fromStack(stack);
  }

  it('lets the role write only its two prefixes, never read or delete', () => {
    const template = deploy();
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as { Action: string[] | string; Resource: unknown }[],
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual(
      [
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:GetBucketLocation',
        's3:ListBucketMultipartUploads',
        'kms:GenerateDataKey',
        'kms:Decrypt',
        'logs:PutLogEvents',
      ].sort(),
    );
    const write = statements.find((s) => [s.Action].flat().includes('s3:PutObject'))!;
    expect(JSON.stringify(write.Resource)).toMatch(/-ocsp-raw\/ocsp\/\*"/);
    expect(JSON.stringify(write.Resource)).toMatch(/-ocsp-raw\/ocsp-errors\/\*"/);
    expect((write.Resource as unknown[]).length).toBe(2);
  });

  it('only lets Firehose of the same account assume the role', () => {
    deploy().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });

  it('creates one log stream for the streams of a type to report delivery errors', () => {
    const template = deploy();
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    template.resourceCountIs('AWS::Logs::LogStream', 1);
    template.hasResourceProperties('AWS::Logs::LogStream', { LogStreamName: 'S3Delivery' });
  });

  it('fits twice into one stack', () => {
    const stack = new Stack(new App(), 'Twice');
    const common = {
      stage: 'test',
      streamCount: 1,
      bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'bucket-b'),
      bucketPurpose: 'aggregates' as const,
      encryptionKey: new kms.Key(stack, 'Key'),
      bufferingIntervalSeconds: 60,
      bufferingSizeMiB: 5,
      errorLogDataClass: 'operational' as const,
      errorLogRetention: logs.RetentionDays.ONE_MONTH,
    };
    new LogDelivery(stack, 'A', {
      ...common,
      logType: 'a',
      prefix: 'a/',
      errorPrefix: 'a-errors/',
    });
    new LogDelivery(stack, 'B', {
      ...common,
      logType: 'b',
      prefix: 'b/',
      errorPrefix: 'b-errors/',
    });
    Template.fromStack(stack).resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
  });

  it('rejects timestamp expressions, equal prefixes and bad counts, listing every problem', () => {
    expect(() =>
      deploy({ prefix: 'ocsp/!{timestamp:yyyy}/', errorPrefix: 'ocsp/', streamCount: 0 }),
    ).toThrow(
      /prefix "ocsp\/!\{timestamp:yyyy\}\/" must be plain.*streamCount 0 must be a positive integer/,
    );
    expect(() => deploy({ errorPrefix: 'ocsp/' })).toThrow(/prefix and errorPrefix must differ/);
  });
});
