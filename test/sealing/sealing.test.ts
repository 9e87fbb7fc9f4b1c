import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthStage } from '../support/synth';

describe.each(['dev', 'prod'])('sealing in stage %s', (stage) => {
  const { templates, config } = synthStage(stage);
  const compute = Template.fromJSON(templates[`Logvault-${stage}-Compute`]);
  const data = Template.fromJSON(templates[`Logvault-${stage}-Data`]);

  it('adds an ECC_NIST_P256 signing key to the data stack, retained', () => {
    data.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
    });
    data.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/logvault-${stage}-digest-signing`,
    });
  });

  it('seals on every Object Created event under acme/ of the landing bucket', () => {
    compute.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: {
            name: [
              {
                'Fn::Join': [
                  '',
                  [
                    `logvault-${stage}-`,
                    { Ref: 'AWS::AccountId' },
                    '-',
                    { Ref: 'AWS::Region' },
                    '-subscriber-landing',
                  ],
                ],
              },
            ],
          },
          object: { key: [{ prefix: 'acme/' }] },
        },
      },
      Targets: [
        Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() }),
      ],
    });
  });

  it('locks with the configured mode and duration (years as calendar years, never 365-day multiples)', () => {
    const duration = config.subscriber.lock.duration;
    const expected =
      'years' in duration
        ? {
            LOCK_DAYS: String(duration.years * 365 + Math.floor(duration.years / 4)),
            LOCK_YEARS: String(duration.years),
          }
        : { LOCK_DAYS: String(duration.days), LOCK_YEARS: Match.absent() };
    for (const fn of ['seal', 'seal-reconciler', 'seal-digest'])
      compute.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `logvault-${stage}-${fn}`,
        Environment: {
          Variables: Match.objectLike({ LOCK_MODE: config.subscriber.lock.mode, ...expected }),
        },
      });
  });

  it('schedules the reconciler every 15 minutes and the digest hourly at a quarter past', () => {
    compute.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    compute.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
    });
  });

  it('alarms when the reconciler had to seal and a day before landing expiry', () => {
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReconcilerSealedObjects',
      Threshold: 1,
    });
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LandingOldestObjectAgeHours',
      Threshold: (config.subscriber.landingExpiryDays - 1) * 24,
      TreatMissingData: 'breaching',
    });
  });

  it('classifies every resting place it adds as operational (digests live in the subscriber archive)', () => {
    const places = Object.entries(
      compute.toJSON().Resources as Record<
        string,
        { Type: string; Properties: { Tags?: { Key: string; Value: string }[] } }
      >,
    ).filter(
      ([id, r]) =>
        id.startsWith('Sealing') && ['AWS::Logs::LogGroup', 'AWS::SQS::Queue'].includes(r.Type),
    );
    expect(places).toHaveLength(6);
    for (const [, r] of places)
      expect(r.Properties.Tags).toContainEqual({
        Key: 'logvault:data-class',
        Value: 'operational',
      });
  });

  it('lets only the digest function sign, and only with the digest key', () => {
    const signers = Object.values(compute.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('kms:Sign'),
    );
    expect(signers).toHaveLength(1);
    expect(JSON.stringify(signers[0])).toMatch(/SealingDigest/);
  });

  it('lets the digest function read the public key it checks against the keyring', () => {
    // KmsSigner.publicKey() calls kms:GetPublicKey at cold start; without the
    // grant the first digest on AWS fails with AccessDenied (moto grants all).
    const statements = Object.values(compute.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .filter((s) => [s.Action].flat().includes('kms:Sign'));
    expect(statements).toHaveLength(1);
    expect([statements[0]!.Action].flat()).toContain('kms:GetPublicKey');
  });

  it('never lets sealing delete or overwrite retention in the archive', () => {
    const policies = JSON.stringify(
      Object.entries(compute.findResources('AWS::IAM::Policy')).filter(([id]) =>
        id.startsWith('Sealing'),
      ),
    );
    expect(policies).toMatch(/s3:PutObject/);
    expect(policies).not.toMatch(/s3:DeleteObjectVersion|s3:BypassGovernanceRetention/);
  });

  it('lets only the seal and reconciler functions set legal holds, on acme/* (standing holds)', () => {
    const holding = Object.entries(compute.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('Sealing'))
      .flatMap(([id, p]) =>
        (
          p.Properties.PolicyDocument.Statement as {
            Action: string | string[];
            Resource: unknown;
          }[]
        )
          .filter((s) => [s.Action].flat().includes('s3:PutObjectLegalHold'))
          .map((s) => [id.replace(/RoleDefaultPolicy.*/, ''), JSON.stringify(s.Resource)]),
      );
    expect(holding.map(([fn]) => fn).sort()).toEqual(['SealingReconciler', 'SealingSeal']);
    for (const [, resource] of holding) expect(resource).toMatch(/-subscriber-archive\/acme\/\*"/);
  });
});
