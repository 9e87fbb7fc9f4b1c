import { buildStage, newLogvaultApp, templatesOnly } from '../../lib/app';
import { parseStageConfig } from '../../core/config/load-stage-config';
import { stages } from '../../core/config/stages';
import { awsRuleFindings } from '../../lib/rules/findings';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */

jest.setTimeout(240_000);

const withQuota = (quota?: number) =>
  parseStageConfig({
    ...(stages.dev as Record<string, any>),
    lambda: quota === undefined ? {} : { accountConcurrencyQuota: quota },
  });

/**
 * The dev stage with a stated Lambda quota (or none), synthesized with the
 * LogvaultAws pack left out of the synth so a finding can be inspected; its
 * reservations and rule findings.
 */
function synthWithQuota(quota?: number) {
  const app = newLogvaultApp(templatesOnly);
  const { compute } = buildStage(app, withQuota(quota), { awsRules: false });
  const assembly = app.synth();
  const template = assembly.getStackByName(compute.stackName).template as any;
  const reserved = Object.values(template.Resources)
    .filter((r: any) => r.Type === 'AWS::Lambda::Function')
    .map((r: any) => r.Properties.ReservedConcurrentExecutions as number | undefined);
  const findings = awsRuleFindings(app).filter((f) =>
    f.ruleId.endsWith('LambdaReservedConcurrencyWithinQuota'),
  );
  return { reserved, findings };
}

describe('reserved concurrency is a stage setting (issue 12, finding 9)', () => {
  it('reserves nothing when the stage states no quota, so a new account (quota 10) deploys', () => {
    const { reserved, findings } = synthWithQuota();
    expect(reserved.length).toBe(9);
    expect(reserved.every((r) => r === undefined)).toBe(true);
    expect(findings).toEqual([]);
  });

  it('reserves the designed 25 under a stated quota, and the rule refuses a quota that leaves < 100 unreserved', () => {
    const { reserved, findings } = synthWithQuota(110);
    expect(reserved.reduce((sum: number, r) => sum + (r ?? 0), 0)).toBe(25);
    // Every reserving function is named: 25 reserved under 110 leaves 85 < 100.
    expect(findings).toHaveLength(9);
  });

  it('fails the synth of buildStage on that finding, as cdk synth would (the pack is wired in)', () => {
    const app = newLogvaultApp(templatesOnly);
    buildStage(app, withQuota(110));
    expect(() => app.synth()).toThrow(/LogvaultAws-LambdaReservedConcurrencyWithinQuota/);
  });

  it('refuses a quota below what Lambda ever grants, naming the field', () => {
    expect(() =>
      parseStageConfig({ ...(stages.dev as object), lambda: { accountConcurrencyQuota: 0 } }),
    ).toThrow(/lambda\.accountConcurrencyQuota = 0/);
  });
});
