import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { DynamoDbCmkTableUsersCanUseKey } from '../../lib/rules/dynamodb/DynamoDbCmkTableUsersCanUseKey';
import { FirehoseRoleCanDeliverToS3 } from '../../lib/rules/firehose/FirehoseRoleCanDeliverToS3';
import { LogGroupKeyAllowsCloudWatchLogs } from '../../lib/rules/logs/LogGroupKeyAllowsCloudWatchLogs';
import { S3AccessLogTargetAcceptsLogs } from '../../lib/rules/s3/S3AccessLogTargetAcceptsLogs';
import { S3KmsBucketUsersCanUseKey } from '../../lib/rules/s3/S3KmsBucketUsersCanUseKey';
import { finding, findingsOf } from './fixture';

const lambdaRole = (stack: Stack) =>
  new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

describe('DynamoDbCmkTableUsersCanUseKey (finding 6)', () => {
  const rule = DynamoDbCmkTableUsersCanUseKey;

  function table(stack: Stack) {
    return new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: new kms.Key(stack, 'Key'),
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  it('fires on a role that queries an index of a CMK table without kms:Decrypt (the retention monitor)', () => {
    const found = findingsOf(rule, (stack) => {
      const t = table(stack);
      lambdaRole(stack).addToPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${t.tableArn}/index/cases`],
        }),
      );
    });
    expect(found).toEqual([finding(rule, 'Fixture/Role/Resource')]);
  });

  it('fires on a writer holding kms:Decrypt and GenerateDataKey but not kms:Encrypt', () => {
    const found = findingsOf(rule, (stack) => {
      const t = table(stack);
      const role = lambdaRole(stack);
      role.addToPolicy(
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [t.tableArn] }),
      );
      t.encryptionKey!.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    });
    expect(found).toEqual([finding(rule, 'Fixture/Role/Resource')]);
  });

  it("passes with the table's grantReadData and grantReadWriteData", () => {
    const found = findingsOf(rule, (stack) => {
      const t = table(stack);
      t.grantReadData(lambdaRole(stack));
      t.grantReadWriteData(
        new iam.Role(stack, 'Writer', {
          assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        }),
      );
    });
    expect(found).toEqual([]);
  });
});

describe('rules across stacks without exports (finding 10: names and SSM-read key ARNs)', () => {
  const rule = DynamoDbCmkTableUsersCanUseKey;

  /** A table in `Fixture`, its key's ARN in SSM; a writer role in `Consumer` referring by name. */
  function consumerWriting(stack: Stack, app: App, keyActions: string[]) {
    const key = new kms.Key(stack, 'Key');
    new dynamodb.Table(stack, 'Table', {
      tableName: 'fixture-cases',
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new ssm.StringParameter(stack, 'KeyArn', {
      parameterName: '/fixture/key-arn',
      stringValue: key.keyArn,
    });
    const consumer = new Stack(app, 'Consumer');
    const readKey = kms.Key.fromKeyArn(
      consumer,
      'Key',
      ssm.StringParameter.valueForStringParameter(consumer, '/fixture/key-arn'),
    );
    const table = dynamodb.Table.fromTableName(consumer, 'Table', 'fixture-cases');
    const role = lambdaRole(consumer);
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
    );
    readKey.grant(role, ...keyActions);
  }

  it('follows the key ARN through the SSM parameter: a writer without kms:Encrypt is found', () => {
    const found = findingsOf(rule, (stack, app) =>
      consumerWriting(stack, app, ['kms:Decrypt', 'kms:GenerateDataKey']),
    );
    expect(found).toEqual([finding(rule, 'Consumer/Role/Resource')]);
  });

  it('and a writer granted the key read from SSM passes', () => {
    const found = findingsOf(rule, (stack, app) =>
      consumerWriting(stack, app, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
    );
    expect(found).toEqual([]);
  });
});

describe('S3KmsBucketUsersCanUseKey', () => {
  const rule = S3KmsBucketUsersCanUseKey;

  function bucket(stack: Stack) {
    return new s3.Bucket(stack, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: new kms.Key(stack, 'Key'),
    });
  }

  it('fires on a role that may put objects under a prefix but not generate data keys', () => {
    const found = findingsOf(rule, (stack) => {
      const b = bucket(stack);
      lambdaRole(stack).addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [b.arnForObjects('cases/*')],
        }),
      );
    });
    expect(found).toEqual([finding(rule, 'Fixture/Role/Resource')]);
  });

  it("passes with the bucket's grantReadWrite, which adds the key", () => {
    const found = findingsOf(rule, (stack) =>
      bucket(stack).grantReadWrite(lambdaRole(stack), 'cases/*'),
    );
    expect(found).toEqual([]);
  });
});

describe('LogGroupKeyAllowsCloudWatchLogs', () => {
  const rule = LogGroupKeyAllowsCloudWatchLogs;

  function logsStatement(key: kms.Key, groupPattern: string) {
    const stack = Stack.of(key);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: groupPattern,
              arnFormat: 'arn:aws:service:region:account:resource:resourceName' as never,
            }),
          },
        },
      }),
    );
  }

  it('fires when the key policy leaves the logs service principal out', () => {
    const found = findingsOf(rule, (stack) => {
      new logs.LogGroup(stack, 'Logs', {
        logGroupName: '/logvault/dev/x',
        encryptionKey: new kms.Key(stack, 'Key'),
      });
    });
    expect(found).toEqual([finding(rule, 'Fixture/Logs/Resource')]);
  });

  it("fires when the key's encryption-context condition names other log groups", () => {
    const found = findingsOf(rule, (stack) => {
      const key = new kms.Key(stack, 'Key');
      logsStatement(key, '/logvault/prod/*');
      new logs.LogGroup(stack, 'Logs', { logGroupName: '/other/x', encryptionKey: key });
    });
    expect(found).toEqual([finding(rule, 'Fixture/Logs/Resource')]);
  });

  it('passes when the regional logs principal may use the key for this log group', () => {
    const found = findingsOf(rule, (stack) => {
      const key = new kms.Key(stack, 'Key');
      logsStatement(key, '/logvault/dev/*');
      new logs.LogGroup(stack, 'Logs', { logGroupName: '/logvault/dev/x', encryptionKey: key });
    });
    expect(found).toEqual([]);
  });
});

describe('S3AccessLogTargetAcceptsLogs', () => {
  const rule = S3AccessLogTargetAcceptsLogs;
  const context = { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true };

  it('fires when the access-log target uses SSE-KMS', () => {
    const found = findingsOf(
      rule,
      (stack) => {
        const target = new s3.Bucket(stack, 'Target', { encryption: s3.BucketEncryption.KMS });
        new s3.Bucket(stack, 'Source', {
          serverAccessLogsBucket: target,
          serverAccessLogsPrefix: 'src/',
        });
      },
      { context },
    );
    expect(found).toEqual([finding(rule, 'Fixture/Source/Resource')]);
  });

  it('passes with an SSE-S3 target whose bucket policy admits S3 log delivery', () => {
    const found = findingsOf(
      rule,
      (stack) => {
        const target = new s3.Bucket(stack, 'Target', {
          encryption: s3.BucketEncryption.S3_MANAGED,
        });
        new s3.Bucket(stack, 'Source', {
          serverAccessLogsBucket: target,
          serverAccessLogsPrefix: 'src/',
        });
      },
      { context },
    );
    expect(found).toEqual([]);
  });
});

describe('FirehoseRoleCanDeliverToS3', () => {
  const rule = FirehoseRoleCanDeliverToS3;

  function locateAndAbort(role: iam.Role, bucket: s3.Bucket, objects: string) {
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:AbortMultipartUpload'],
        resources: [bucket.arnForObjects(objects)],
      }),
    );
  }

  function stream(stack: Stack, grant: (role: iam.Role, bucket: s3.Bucket) => void) {
    const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS });
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
    });
    grant(role, bucket);
    new firehose.CfnDeliveryStream(stack, 'Stream', {
      deliveryStreamType: 'DirectPut',
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: 'ocsp/',
        errorOutputPrefix: 'ocsp-errors/',
      },
    });
  }

  it('fires when the role may write the records prefix but not the error prefix', () => {
    const found = findingsOf(rule, (stack) =>
      stream(stack, (role, bucket) => {
        bucket.grantPut(role, 'ocsp/*');
        locateAndAbort(role, bucket, '*');
      }),
    );
    expect(found).toEqual([finding(rule, 'Fixture/Stream')]);
  });

  it('passes when the role holds the S3 and key permissions of the Firehose guide', () => {
    const found = findingsOf(rule, (stack) =>
      stream(stack, (role, bucket) => {
        bucket.grantPut(role);
        locateAndAbort(role, bucket, '*');
      }),
    );
    expect(found).toEqual([]);
  });
});
