import { App, Stack, StackProps } from 'aws-cdk-lib';
import { awsRuleFindings } from '../../lib/rules/findings';
import { AwsRule } from '../../lib/rules/rule';

export interface FixtureOptions {
  /** App context, e.g. the Lambda concurrency quota. */
  readonly context?: Record<string, unknown>;
  readonly stackProps?: StackProps;
}

/**
 * Builds a tiny stack named `Fixture`, synthesizes it (as `cdk synth` does
 * before validation plugins run) and returns where `rule` fires, as
 * `LogvaultAws-<rule>` and construct path pairs.
 */
export function findingsOf(
  rule: AwsRule,
  build: (stack: Stack, app: App) => void,
  options: FixtureOptions = {},
): { ruleId: string; path: string }[] {
  const app = new App({ context: options.context });
  const stack = new Stack(app, 'Fixture', options.stackProps);
  build(stack, app);
  app.synth();
  return awsRuleFindings(app, [rule]).map(({ ruleId, path }) => ({ ruleId, path }));
}

/** The finding a failing fixture must produce: this rule, on this resource. */
export function finding(rule: AwsRule, path: string) {
  return { ruleId: `LogvaultAws-${rule.name}`, path };
}
