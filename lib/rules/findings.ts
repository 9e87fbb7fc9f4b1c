import { IConstruct } from 'constructs';
import { LogvaultAwsChecks } from './logvault-aws-checks';
import { AwsRule } from './rule';

/** One finding of the pack: the rule id and the construct path of the resource. */
export interface AwsRuleFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly severity: string;
}

/**
 * Runs the pack over a synthesized app (call `app.synth()` first, as CDK does
 * before validation plugins) and lists its findings, acknowledged ones left out.
 */
export function awsRuleFindings(app: IConstruct, rules?: readonly AwsRule[]): AwsRuleFinding[] {
  const report = new LogvaultAwsChecks(undefined, { rules }).validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      ruleId: v.ruleName,
      path: r.constructPath ?? '?',
      severity: v.severity ?? 'error',
    })),
  );
}
