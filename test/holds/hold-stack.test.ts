import { synthStage } from '../support/synth';
import { auditTableName } from '../../core/naming';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */

/**
 * The IAM promises of legal holds, on the synthesized templates (moto does not
 * evaluate IAM or conditional bucket-policy denies, so they are proven here).
 */
describe.each(['dev', 'prod'])('legal-hold infrastructure of stage %s', (stage) => {
  const { templates } = synthStage(stage);
  const data = templates[`Logvault-${stage}-Data`] as any;
  const compute = templates[`Logvault-${stage}-Compute`] as any;
  const resources = (t: any, type: string) =>
    Object.entries(t.Resources).filter(([, r]: any) => r.Type === type) as [string, any][];
  const statements = (t: any) =>
    resources(t, 'AWS::IAM::Policy').flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.map((s: any) => ({ ...s, roles: p.Properties.Roles })),
    );
  const actionsOf = (s: any): string[] => [s.Action].flat();
  const roleName = (ref: any) =>
    resources(compute, 'AWS::IAM::Role').find(([id]) => id === ref.Ref)?.[1].Properties.RoleName;

  it('denies legal-hold changes on the archive and investigations to all but the hold roles (and the sealers on the archive)', () => {
    const guarded = resources(data, 'AWS::S3::BucketPolicy').filter(([, p]) =>
      p.Properties.PolicyDocument.Statement.some(
        (s: any) => s.Sid === 'OnlyHoldFunctionsChangeLegalHolds',
      ),
    );
    expect(guarded.map(([, p]) => p.Properties.Bucket.Ref).sort()).toEqual(
      [
        resources(data, 'AWS::S3::Bucket').find(([id]) =>
          id.startsWith('InvestigationsBucket'),
        )![0],
        resources(data, 'AWS::S3::Bucket').find(([id]) =>
          id.startsWith('SubscriberArchiveBucket'),
        )![0],
      ].sort(),
    );
    for (const [, policy] of guarded) {
      const isArchive = policy.Properties.Bucket.Ref.startsWith('SubscriberArchiveBucket');
      const deny = policy.Properties.PolicyDocument.Statement.find(
        (s: any) => s.Sid === 'OnlyHoldFunctionsChangeLegalHolds',
      );
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObjectLegalHold',
      });
      const allowed = JSON.stringify(deny.Condition.ArnNotLike['aws:PrincipalArn']);
      expect(allowed).toContain(`:role/logvault-${stage}-hold-apply`);
      expect(allowed).toContain(`:role/logvault-${stage}-hold-release`);
      expect(allowed).toContain(`:role/logvault-${stage}-hold-batch`);
      // Standing holds: the two sealers hold what they archive, in the archive only.
      const sealers = [`:role/logvault-${stage}-seal"`, `:role/logvault-${stage}-seal-reconciler"`];
      for (const sealer of sealers) expect(allowed.includes(sealer)).toBe(isArchive);
      expect(deny.Condition.ArnNotLike['aws:PrincipalArn']).toHaveLength(isArchive ? 5 : 3);
    }
  });

  it('grants the sealers legal hold on acme/* of the archive and the registry without deletes', () => {
    for (const sealer of [`logvault-${stage}-seal`, `logvault-${stage}-seal-reconciler`]) {
      const granted = statements(compute).filter(
        (s) => s.Effect === 'Allow' && s.roles.some((r: any) => roleName(r) === sealer),
      );
      const holding = granted.filter((s) => actionsOf(s).includes('s3:PutObjectLegalHold'));
      expect(holding).toHaveLength(1);
      expect(JSON.stringify(holding[0].Resource)).toMatch(/-subscriber-archive\/acme\/\*"\]\]\}$/);
      const dynamo = granted.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));
      expect([...new Set(dynamo)].sort()).toEqual([
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
    }
  });

  it('grants s3:PutObjectLegalHold only to the apply, release and batch roles, and the sealers', () => {
    const granting = [...statements(data), ...statements(compute)].filter(
      (s) =>
        s.Effect === 'Allow' &&
        actionsOf(s).some((a) => a === 's3:PutObjectLegalHold' || a === 's3:*'),
    );
    const roles = new Set(granting.flatMap((s) => s.roles.map(roleName)));
    expect([...roles].sort()).toEqual([
      `logvault-${stage}-hold-apply`,
      `logvault-${stage}-hold-batch`,
      `logvault-${stage}-hold-release`,
      `logvault-${stage}-seal`,
      `logvault-${stage}-seal-reconciler`,
    ]);
  });

  it('lets only S3 Batch Operations of this account assume the batch role', () => {
    const [, batch] = resources(compute, 'AWS::IAM::Role').find(
      ([, r]) => r.Properties.RoleName === `logvault-${stage}-hold-batch`,
    )!;
    expect(batch.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'batchoperations.s3.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('lets the batch role read the archive Object Lock configuration, as S3 checks before any key (issue 12 #3)', () => {
    const reading = statements(compute).filter((s) =>
      actionsOf(s).includes('s3:GetBucketObjectLockConfiguration'),
    );
    expect(reading.flatMap((s) => s.roles.map(roleName))).toEqual([`logvault-${stage}-hold-batch`]);
    expect(JSON.stringify(reading[0].Resource)).toMatch(/-subscriber-archive"\]\]\}$/);
  });

  it('lets the apply and release functions start only legal-hold jobs, as the batch role', () => {
    const createJob = statements(compute).filter((s) => actionsOf(s).includes('s3:CreateJob'));
    expect(createJob.flatMap((s) => s.roles.map(roleName)).sort()).toEqual([
      `logvault-${stage}-hold-apply`,
      `logvault-${stage}-hold-release`,
    ]);
    for (const s of createJob)
      expect(s.Condition).toEqual({
        StringEquals: { 's3:RequestJobOperation': 'S3PutObjectLegalHold' },
      });
    const passRole = statements(compute).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passRole).toHaveLength(2);
    for (const s of passRole) {
      expect(s.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'batchoperations.s3.amazonaws.com' },
      });
      expect(roleName({ Ref: s.Resource['Fn::GetAtt'][0] })).toBe(`logvault-${stage}-hold-batch`);
    }
    const functions = resources(compute, 'AWS::Lambda::Function').filter(([, f]) =>
      /hold-(apply|release)$/.test(f.Properties.FunctionName),
    );
    expect(functions).toHaveLength(2);
    for (const [, f] of functions)
      expect(f.Properties.Environment.Variables.HOLD_BATCH_ROLE_ARN['Fn::GetAtt'][1]).toBe('Arn');
  });

  it('lets release delete only hold_extract_* Glue tables, and run no query', () => {
    const release = resources(compute, 'AWS::IAM::Role').find(
      ([, r]) => r.Properties.RoleName === `logvault-${stage}-hold-release`,
    )!;
    const granted = statements(compute).filter((s) =>
      s.roles.some((r: any) => r.Ref === release[0]),
    );
    const glue = granted.filter((s) => actionsOf(s).some((a) => a.startsWith('glue:')));
    expect(glue).toHaveLength(1);
    expect(actionsOf(glue[0])).toEqual(['glue:DeleteTable']);
    const tables = JSON.stringify(glue[0].Resource);
    expect(tables).toContain(`:table/logvault_${stage}/hold_extract_*`);
    expect(tables).not.toMatch(/:table\/[^"]*\/\*"/);
    expect(granted.flatMap(actionsOf).filter((a) => a.startsWith('athena:'))).toEqual([]);
  });

  // Issue 19: apply starts the extract's CTAS, reads its state on a rerun and
  // stops a superseded attempt's query; in the jobs workgroup and no other.
  it('lets apply start, poll, read and stop queries in the jobs workgroup only', () => {
    const apply = resources(compute, 'AWS::IAM::Role').find(
      ([, r]) => r.Properties.RoleName === `logvault-${stage}-hold-apply`,
    )!;
    const athena = statements(compute)
      .filter((s) => s.roles.some((r: any) => r.Ref === apply[0]))
      .filter((s) => actionsOf(s).some((a) => a.startsWith('athena:')));
    expect(athena).toHaveLength(1);
    expect(athena[0].Effect).toBe('Allow');
    expect(actionsOf(athena[0]).sort()).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'athena:StopQueryExecution',
    ]);
    const workGroups = [athena[0].Resource].flat().map((r: any) => JSON.stringify(r));
    expect(workGroups).toHaveLength(1);
    expect(workGroups[0]).toContain(`:workgroup/logvault-${stage}-jobs`);
    expect(workGroups[0]).not.toContain('*');
  });

  it('lets on-call invoke the three hold functions and read the registry, nothing more', () => {
    const onCall = resources(compute, 'AWS::IAM::Role').find(
      ([, r]) => r.Properties.RoleName === `logvault-${stage}-oncall-holds`,
    )!;
    const granted = statements(compute)
      .filter((s) => s.roles.some((r: any) => r.Ref === onCall[0]))
      .flatMap(actionsOf)
      .sort();
    expect(granted).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'lambda:InvokeFunction',
    ]);
    const invoke = statements(compute).find(
      (s) =>
        s.roles.some((r: any) => r.Ref === onCall[0]) &&
        actionsOf(s).includes('lambda:InvokeFunction'),
    );
    expect(invoke.Resource).toHaveLength(3);
    expect(JSON.stringify(invoke.Resource)).not.toContain('*');
    expect(JSON.stringify(onCall[1].Properties.AssumeRolePolicyDocument)).toContain(
      'aws:MultiFactorAuthPresent',
    );
  });

  it('makes the audit trail append-only for every hold function and the sealers', () => {
    const audit = resources(data, 'AWS::DynamoDB::Table').find(([id]) =>
      id.startsWith('HoldsAudit'),
    )!;
    // The compute stack names the table as core/naming builds it (no export, issue 12 finding 10).
    const [head, tail] = auditTableName(stage, { account: '\0' }).split('\0');
    expect(JSON.stringify(audit[1].Properties.TableName)).toContain(tail);
    const onAudit = statements(compute).filter((s) => {
      const named = JSON.stringify(s.Resource);
      return named.includes(`:table/${head}`) && named.includes(tail);
    });
    expect(onAudit.length).toBeGreaterThan(0);
    for (const s of onAudit.filter((x) => x.Effect === 'Allow'))
      expect(actionsOf(s).filter((a) => /Update|Delete|BatchWrite|PartiQL/.test(a))).toEqual([]);
    const denied = onAudit.filter((s) => s.Effect === 'Deny');
    expect(
      denied
        .map((s) => s.roles.map(roleName))
        .flat()
        .sort(),
    ).toEqual([
      ...['apply', 'release', 'status'].map((n) => `logvault-${stage}-hold-${n}`),
      // Standing holds append `standing-held:<version>` entries.
      `logvault-${stage}-seal`,
      `logvault-${stage}-seal-reconciler`,
    ]);
    for (const s of denied)
      expect(actionsOf(s)).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
      );
  });

  // Outside production the tables go with the stack, so the stage can be deployed again (issue 12 finding 10).
  const production = stage === 'prod';
  it(`keeps the registry and audit tables encrypted, recoverable${production ? ', protected and retained' : ', deleted with the stack'}`, () => {
    const tables = resources(data, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(2);
    for (const [, t] of tables) {
      expect(t.Properties).toMatchObject({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: production,
      });
      expect(t.DeletionPolicy).toBe(production ? 'Retain' : 'Delete');
    }
  });
});
