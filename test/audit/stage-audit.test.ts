import { auditStage } from '../../core/audit/stage-audit';
import { derivedPlaceRows } from '../../core/audit/derived-places';
import { actionCovers, iamViolations } from '../../core/audit/iam-rules';
import { CfnTemplate } from '../../core/audit/inventory';
import { promisesOf, stageNames, synthStage } from '../support/synth';

describe.each(stageNames)('audit of the synthesized %s stage', (stage) => {
  const { config, templates } = synthStage(stage);
  const rows = auditStage(templates, promisesOf(config));

  it('passes every promise', () => {
    expect(rows.filter((r) => r.verdict === 'FAIL')).toEqual([]);
  });

  it('covers the OCSP, subscriber, encryption and IAM promises', () => {
    const promises = new Set(rows.map((r) => r.promise));
    expect(promises).toContain('OCSP request data is gone in < 7 days');
    expect([...promises].some((p) => p.startsWith('Subscriber logs locked'))).toBe(true);
    expect(promises).toContain('Every bucket is encrypted, TLS-only and never public');
    expect(promises).toContain(
      'Nobody can unlock or delete locked data; only hold functions change legal holds',
    );
  });
});

describe.each(stageNames)('derived places of the synthesized %s stage', (stage) => {
  const { templates } = synthStage(stage);

  it('names each place a case or a report leaves traces in, and passes', () => {
    const rows = derivedPlaceRows(templates);
    expect(rows.map((r) => r.promise.split(': ')[1])).toEqual([
      'hold registry',
      'hold audit trail',
      'function logs',
      'CLI output',
      'query history',
      'query results',
      'S3 Batch Operations manifests and reports',
      'CloudTrail',
    ]);
    expect(rows.filter((r) => r.verdict === 'FAIL')).toEqual([]);
    expect(rows.find((r) => r.promise.endsWith('query history'))?.mechanism).toMatch(/45 days/);
  });

  it('fails the registry and audit trail when a hold function stores filters in clear', () => {
    const stripped = JSON.parse(JSON.stringify(templates)) as Record<string, CfnTemplate>;
    for (const t of Object.values(stripped))
      for (const r of Object.values(t.Resources ?? {}))
        delete (r.Properties as { Environment?: { Variables?: Record<string, string> } })
          ?.Environment?.Variables?.HOLD_CASE_KEY_ID;
    const failed = derivedPlaceRows(stripped).filter((r) => r.verdict === 'FAIL');
    expect(failed.map((r) => r.promise.split(': ')[1])).toEqual([
      'hold registry',
      'hold audit trail',
    ]);
    expect(failed[0]!.evidence).toMatch(
      /no HOLD_CASE_KEY_ID, case filters would be stored in clear/,
    );
  });
});

describe('IAM rules', () => {
  const withPolicy = (roleName: string, actions: string[], resource: unknown): CfnTemplate => ({
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: roleName } },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] },
        },
      },
    },
  });
  const archive = { 'Fn::GetAtt': ['SubscriberArchiveBucketD51AAABF', 'Arn'] };

  it('matches IAM wildcards the way IAM does', () => {
    expect(actionCovers('s3:Delete*', 's3:DeleteObjectVersion')).toBe(true);
    expect(actionCovers('s3:*', 's3:BypassGovernanceRetention')).toBe(true);
    expect(actionCovers('s3:Get*', 's3:PutObjectLegalHold')).toBe(false);
  });

  it.each([
    [['s3:*'], /grants s3:\*/],
    [['s3:Delete*'], /may delete objects/],
    [['s3:PutBucketObjectLockConfiguration'], /grants s3:PutBucketObjectLockConfiguration/],
    [['s3:BypassGovernanceRetention'], /grants s3:BypassGovernanceRetention/],
    [['s3:PutObjectLegalHold'], /only hold functions/],
  ])('flags %s on the archive for an ordinary role', (actions, message) => {
    const violations = iamViolations(withPolicy('logvault-dev-analyst', actions, archive));
    expect(violations.join('\n')).toMatch(message);
  });

  it('lets hold functions change legal holds and sealing delete from landing only', () => {
    expect(
      iamViolations(withPolicy('logvault-dev-hold-apply', ['s3:PutObjectLegalHold'], archive)),
    ).toEqual([]);
    // Standing holds: the sealers hold what they archive; the digest function may not.
    for (const sealer of ['logvault-dev-seal', 'logvault-dev-seal-reconciler'])
      expect(iamViolations(withPolicy(sealer, ['s3:PutObjectLegalHold'], archive))).toEqual([]);
    expect(
      iamViolations(withPolicy('logvault-dev-seal-digest', ['s3:PutObjectLegalHold'], archive)),
    ).toHaveLength(1);
    const landing = { 'Fn::GetAtt': ['SubscriberLandingBucketA2BADB4B', 'Arn'] };
    expect(iamViolations(withPolicy('logvault-dev-seal', ['s3:DeleteObject'], landing))).toEqual(
      [],
    );
    expect(
      iamViolations(withPolicy('logvault-dev-seal', ['s3:DeleteObject'], archive)),
    ).toHaveLength(1);
  });
});
