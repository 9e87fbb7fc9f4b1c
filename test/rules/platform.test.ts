import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NoStrongCrossStackReferences } from '../../lib/rules/cdk/NoStrongCrossStackReferences';
import { ProductionStackPinnedToEnvironment } from '../../lib/rules/cdk/ProductionStackPinnedToEnvironment';
import { RetainedNamedResourceOutsideProduction } from '../../lib/rules/cdk/RetainedNamedResourceOutsideProduction';
import { DynamoDbAlarmsCoverGrantedOperations } from '../../lib/rules/cloudwatch/DynamoDbAlarmsCoverGrantedOperations';
import { ServiceEncryptionKeyIsSymmetric } from '../../lib/rules/kms/ServiceEncryptionKeyIsSymmetric';
import {
  CONCURRENCY_QUOTA_CONTEXT,
  LambdaReservedConcurrencyWithinQuota,
} from '../../lib/rules/lambda/LambdaReservedConcurrencyWithinQuota';
import { finding, findingsOf } from './fixture';

function fn(stack: Stack, id: string, reservedConcurrentExecutions: number) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    reservedConcurrentExecutions,
  });
}

describe('LambdaReservedConcurrencyWithinQuota (finding 9)', () => {
  const rule = LambdaReservedConcurrencyWithinQuota;
  const twentyReserved = (stack: Stack) => {
    fn(stack, 'Seal', 10);
    fn(stack, 'Holds', 10);
  };

  it('fires on every reservation when no account quota is stated', () => {
    const found = findingsOf(rule, twentyReserved);
    expect(found).toEqual([
      finding(rule, 'Fixture/Seal/Resource'),
      finding(rule, 'Fixture/Holds/Resource'),
    ]);
  });

  it("fires when 20 reserved leave less than 100 unreserved under a new account's quota of 110", () => {
    const found = findingsOf(rule, twentyReserved, {
      context: { [CONCURRENCY_QUOTA_CONTEXT]: 110 },
    });
    expect(found).toEqual([
      finding(rule, 'Fixture/Seal/Resource'),
      finding(rule, 'Fixture/Holds/Resource'),
    ]);
  });

  it('passes under the usual quota of 1,000', () => {
    const found = findingsOf(rule, twentyReserved, {
      context: { [CONCURRENCY_QUOTA_CONTEXT]: 1000 },
    });
    expect(found).toEqual([]);
  });
});

describe('ProductionStackPinnedToEnvironment (finding 8)', () => {
  const rule = ProductionStackPinnedToEnvironment;
  const build = (stack: Stack) => new sqs.Queue(stack, 'First');

  it('fires once on a termination-protected stack without account and Region', () => {
    const found = findingsOf(rule, build, { stackProps: { terminationProtection: true } });
    expect(found).toEqual([finding(rule, 'Fixture/First/Resource')]);
  });

  it('passes when the production stack names its account and Region', () => {
    const found = findingsOf(rule, build, {
      stackProps: {
        terminationProtection: true,
        env: { account: '123456789012', region: 'eu-west-1' },
      },
    });
    expect(found).toEqual([]);
  });

  it('leaves non-production stacks environment-agnostic', () => {
    expect(findingsOf(rule, build)).toEqual([]);
  });
});

describe('NoStrongCrossStackReferences (finding 10)', () => {
  const rule = NoStrongCrossStackReferences;

  it('fires on a resource another stack imports through an export', () => {
    const found = findingsOf(rule, (stack, app: App) => {
      const bucket = new s3.Bucket(stack, 'Data');
      const consumer = new Stack(app, 'Consumer');
      new sqs.Queue(consumer, 'Queue', { queueName: bucket.bucketName });
    });
    expect(found).toEqual([finding(rule, 'Fixture/Data/Resource')]);
  });

  it('passes when the consumer gets the name from configuration instead', () => {
    const found = findingsOf(rule, (stack, app: App) => {
      new s3.Bucket(stack, 'Data', { bucketName: 'logvault-dev-data' });
      new sqs.Queue(new Stack(app, 'Consumer'), 'Queue', { queueName: 'logvault-dev-data' });
    });
    expect(found).toEqual([]);
  });
});

describe('RetainedNamedResourceOutsideProduction (finding 10)', () => {
  const rule = RetainedNamedResourceOutsideProduction;

  it('fires on a retained bucket with a fixed name in a dev stack', () => {
    const found = findingsOf(
      rule,
      (stack) => new s3.Bucket(stack, 'Raw', { bucketName: 'logvault-dev-raw' }),
    );
    expect(found).toEqual([finding(rule, 'Fixture/Raw/Resource')]);
  });

  it('passes when dev deletes the bucket with the stack, and in production', () => {
    const dev = findingsOf(
      rule,
      (stack) =>
        new s3.Bucket(stack, 'Raw', {
          bucketName: 'logvault-dev-raw',
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );
    const prod = findingsOf(
      rule,
      (stack) => new s3.Bucket(stack, 'Raw', { bucketName: 'logvault-prod-raw' }),
      {
        stackProps: { terminationProtection: true },
      },
    );
    expect([...dev, ...prod]).toEqual([]);
  });
});

describe('DynamoDbAlarmsCoverGrantedOperations (finding 10: registry alarms leave out BatchWriteItem)', () => {
  const rule = DynamoDbAlarmsCoverGrantedOperations;

  function registryAlarm(stack: Stack, operations: string[]) {
    const table = new dynamodb.Table(stack, 'Registry', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
      }),
    );
    const metric = table.metricSystemErrorsForOperations({
      operations: operations as dynamodb.Operation[],
    });
    new cloudwatch.Alarm(stack, 'Errors', { metric, threshold: 0, evaluationPeriods: 1 });
  }

  it('fires when the alarm sums operations but leaves out one a role is granted', () => {
    const found = findingsOf(rule, (stack) => registryAlarm(stack, ['PutItem']));
    expect(found).toEqual([finding(rule, 'Fixture/Errors/Resource')]);
  });

  it('passes when every granted operation is summed', () => {
    const found = findingsOf(rule, (stack) => registryAlarm(stack, ['PutItem', 'BatchWriteItem']));
    expect(found).toEqual([]);
  });
});

describe('ServiceEncryptionKeyIsSymmetric', () => {
  const signing = (stack: Stack) =>
    new kms.Key(stack, 'Signing', {
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
    });

  it('ServiceEncryptionKeyIsSymmetric fires when a queue is given the signing key, passes with a symmetric key', () => {
    const rule = ServiceEncryptionKeyIsSymmetric;
    const bad = findingsOf(
      rule,
      (stack) => new sqs.Queue(stack, 'Queue', { encryptionMasterKey: signing(stack) }),
    );
    const good = findingsOf(
      rule,
      (stack) => new sqs.Queue(stack, 'Queue', { encryptionMasterKey: new kms.Key(stack, 'Key') }),
    );
    expect(bad).toEqual([finding(rule, 'Fixture/Queue/Resource')]);
    expect(good).toEqual([]);
  });
});
