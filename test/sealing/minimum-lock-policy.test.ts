import { synthStage } from '../support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */

/** The archive bucket's policy statements in a stage's data stack. */
function archivePolicy(stage: string): any[] {
  const data = synthStage(stage).templates[`Logvault-${stage}-Data`] as any;
  const [archiveId] = Object.keys(data.Resources).filter(
    (id) => id.startsWith('SubscriberArchive') && data.Resources[id].Type === 'AWS::S3::Bucket',
  );
  const policy = Object.values(data.Resources).find(
    (r: any) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === archiveId,
  ) as any;
  return policy.Properties.PolicyDocument.Statement;
}

const bySid = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);

describe('the archive bucket policy enforces the minimum lock on every write (issue 14)', () => {
  it('prod: denies any other mode than COMPLIANCE, fewer than 2555 remaining days, and removing retention', () => {
    const statements = archivePolicy('prod');
    const writes = ['s3:PutObject', 's3:PutObjectRetention'];
    expect(bySid(statements, 'DenyOtherLockMode')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: writes,
      Condition: {
        Null: { 's3:object-lock-mode': 'false' },
        StringNotEquals: { 's3:object-lock-mode': 'COMPLIANCE' },
      },
    });
    // 7 calendar years are at least 2556 days; one day of rounding slack (verify checks the date).
    expect(bySid(statements, 'DenyShortLock')).toMatchObject({
      Effect: 'Deny',
      Action: writes,
      Condition: { NumericLessThan: { 's3:object-lock-remaining-retention-days': '2555' } },
    });
    expect(bySid(statements, 'DenyRetentionRemoval')).toMatchObject({
      Effect: 'Deny',
      Action: 's3:PutObjectRetention',
      Condition: { Null: { 's3:object-lock-mode': 'true' } },
    });
    for (const sid of ['DenyOtherLockMode', 'DenyShortLock', 'DenyRetentionRemoval'])
      expect(JSON.stringify(bySid(statements, sid).Resource)).toContain('/*');
  });

  it("dev: enforces the stage's GOVERNANCE mode; a 1-day lock has no day floor to enforce", () => {
    const statements = archivePolicy('dev');
    expect(bySid(statements, 'DenyOtherLockMode').Condition.StringNotEquals).toEqual({
      's3:object-lock-mode': 'GOVERNANCE',
    });
    expect(bySid(statements, 'DenyShortLock')).toBeUndefined();
  });
});
