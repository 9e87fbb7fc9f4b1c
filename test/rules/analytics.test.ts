import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AthenaCtasNotInEnforcedWorkGroup } from '../../lib/rules/athena/AthenaCtasNotInEnforcedWorkGroup';
import { AthenaDdlHasGluePermissions } from '../../lib/rules/athena/AthenaDdlHasGluePermissions';
import { AthenaWorkGroupUsersCanWriteResults } from '../../lib/rules/athena/AthenaWorkGroupUsersCanWriteResults';
import { ATHENA_STATEMENTS_METADATA } from '../../lib/rules/support/athena';
import { finding, findingsOf } from './fixture';

interface Setup {
  readonly role: iam.Role;
  readonly fn: lambda.Function;
  readonly results: s3.Bucket;
  readonly data: s3.Bucket;
  readonly key: kms.Key;
}

/** A workgroup like logvault's (results in a KMS bucket) and a function that may query through it. */
function workGroupAndJob(stack: Stack, enforce: boolean): Setup {
  const key = new kms.Key(stack, 'Key');
  const results = new s3.Bucket(stack, 'Results', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
  });
  const data = new s3.Bucket(stack, 'Data', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
  });
  new athena.CfnWorkGroup(stack, 'WorkGroup', {
    name: 'logvault-dev',
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: enforce,
      resultConfiguration: {
        outputLocation: `s3://${results.bucketName}/athena/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
      },
    },
  });
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const fn = new lambda.Function(stack, 'Job', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    role,
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution'],
      resources: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: 'logvault-dev' }),
      ],
    }),
  );
  results.grantReadWrite(role, 'athena/*');
  return { role, fn, results, data, key };
}

function glue(stack: Stack, role: iam.Role, actions: string[], table: string) {
  const arn = (resource: string, name?: string) =>
    stack.formatArn({ service: 'glue', resource, resourceName: name });
  role.addToPolicy(
    new iam.PolicyStatement({
      actions,
      resources: [
        arn('catalog'),
        arn('database', 'logvault_dev'),
        arn('table', `logvault_dev/${table}`),
      ],
    }),
  );
}

describe('AthenaCtasNotInEnforcedWorkGroup (finding 2)', () => {
  const rule = AthenaCtasNotInEnforcedWorkGroup;
  const JOB = 'Fixture/Job/Resource';

  /** What the daily aggregation's role may do: create the staging table, write the aggregates bucket. */
  function ctasJob(setup: Setup, stack: Stack) {
    glue(
      stack,
      setup.role,
      ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable'],
      'ocsp_cert_daily_job_*',
    );
    setup.data.grantReadWrite(setup.role, 'ocsp_cert_daily/*');
  }

  it('fires, by its permissions, on a job that creates tables and writes outside the results of an enforcing workgroup', () => {
    const found = findingsOf(rule, (stack) => ctasJob(workGroupAndJob(stack, true), stack));
    expect(found).toEqual([finding(rule, JOB)]);
  });

  it('fires on a function that declares CTAS with external_location in an enforcing workgroup', () => {
    const found = findingsOf(rule, (stack) => {
      const { fn } = workGroupAndJob(stack, true);
      (fn.node.defaultChild as lambda.CfnFunction).addMetadata(ATHENA_STATEMENTS_METADATA, {
        workGroup: 'logvault-dev',
        statements: ['ctas-external-location', 'drop-table'],
      });
    });
    expect(found).toEqual([finding(rule, JOB)]);
  });

  it('passes when the same job declares INSERT INTO instead', () => {
    const found = findingsOf(rule, (stack) => {
      const setup = workGroupAndJob(stack, true);
      ctasJob(setup, stack);
      (setup.fn.node.defaultChild as lambda.CfnFunction).addMetadata(ATHENA_STATEMENTS_METADATA, {
        workGroup: 'logvault-dev',
        statements: ['insert-into', 'select'],
      });
    });
    expect(found).toEqual([]);
  });

  it('passes when the job runs in a workgroup that lets clients choose locations', () => {
    const found = findingsOf(rule, (stack) => ctasJob(workGroupAndJob(stack, false), stack));
    expect(found).toEqual([]);
  });
});

describe('AthenaDdlHasGluePermissions (finding 7)', () => {
  const rule = AthenaDdlHasGluePermissions;

  it('fires on a role that drops tables through Athena without the partition actions (the hold roles)', () => {
    const found = findingsOf(rule, (stack) => {
      const { role } = workGroupAndJob(stack, true);
      glue(stack, role, ['glue:GetDatabase'], '*');
      glue(
        stack,
        role,
        ['glue:GetTable', 'glue:CreateTable', 'glue:DeleteTable'],
        'hold_extract_*',
      );
    });
    expect(found).toEqual([finding(rule, 'Fixture/Role/Resource')]);
  });

  it('passes with glue:GetPartitions and glue:BatchDeletePartition on the dropped tables', () => {
    const found = findingsOf(rule, (stack) => {
      const { role } = workGroupAndJob(stack, true);
      glue(stack, role, ['glue:GetDatabase'], '*');
      glue(
        stack,
        role,
        [
          'glue:GetTable',
          'glue:CreateTable',
          'glue:DeleteTable',
          'glue:GetPartitions',
          'glue:BatchDeletePartition',
        ],
        'hold_extract_*',
      );
    });
    expect(found).toEqual([]);
  });
});

describe('AthenaWorkGroupUsersCanWriteResults', () => {
  const rule = AthenaWorkGroupUsersCanWriteResults;

  it('fires on a role that may query but not write the results location', () => {
    const found = findingsOf(rule, (stack) => {
      const key = new kms.Key(stack, 'Key');
      new athena.CfnWorkGroup(stack, 'WorkGroup', {
        name: 'logvault-dev',
        workGroupConfiguration: {
          resultConfiguration: { outputLocation: 's3://results-bucket/athena/' },
        },
      });
      const role = new iam.Role(stack, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['athena:*'], resources: ['*'] }));
      key.grantDecrypt(role);
    });
    expect(found).toEqual([finding(rule, 'Fixture/Role/Resource')]);
  });

  it('passes when the role may write and read the encrypted results', () => {
    const found = findingsOf(rule, (stack) => workGroupAndJob(stack, true));
    expect(found).toEqual([]);
  });
});
