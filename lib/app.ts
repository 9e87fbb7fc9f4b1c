import { App, AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { StageConfig } from '../core/config/stage-config';
import { ComputeStack } from './stacks/compute-stack';
import { DataStack } from './stacks/data-stack';
import { stackName } from '../core/naming';
import { LogvaultAwsChecks } from './rules/logvault-aws-checks';
import { acknowledgeOpenFindings } from './rules/open-findings';

/** CDK behaviour logvault relies on; set on every app, so tests synthesize what deploys. */
export const featureFlags = {
  // Grant S3 log delivery through a bucket policy instead of ACLs (ACLs are disabled everywhere).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

/** A CDK app with logvault's feature flags, any extra context (e.g. `stage`) and app props. */
export function newLogvaultApp(
  context: Record<string, unknown> = {},
  props: Omit<AppProps, 'context'> = {},
): App {
  return new App({ ...props, context: { ...featureFlags, ...context } });
}

/**
 * Context for synthesizing templates only (tests, `logvault audit`): Lambda
 * bundling is skipped, which changes asset hashes and nothing else.
 * `cdk synth` and `cdk deploy` always bundle.
 */
export const templatesOnly = { 'aws:cdk:bundling-stacks': [] } as const;

/** The stacks of one stage. */
export interface LogvaultStacks {
  readonly data: DataStack;
  readonly compute: ComputeStack;
}

/** How `buildStage` checks what it builds. */
export interface BuildStageOptions {
  /**
   * Attach the LogvaultAws rule pack (lib/rules, what AWS would refuse) so a
   * finding fails the synth; off only for a test that inspects a stage with
   * a finding on purpose (it then runs the pack itself).
   * @default true
   */
  readonly awsRules?: boolean;
}

/**
 * Builds every stack of a stage into `app`, with the cdk-nag packs and the
 * LogvaultAws pack attached: `app.synth()` throws on any unacknowledged
 * finding. Open issue-12 findings are acknowledged with their reason
 * (lib/rules/open-findings.ts).
 */
export function buildStage(
  app: App,
  config: StageConfig,
  options: BuildStageOptions = {},
): LogvaultStacks {
  const env = config.account ? { account: config.account, region: config.region } : undefined;
  const data = new DataStack(app, stackName(config.stage, 'Data'), {
    env,
    config,
    description: `logvault ${config.stage}: log buckets and keys (stateful)`,
    terminationProtection: config.isProduction,
  });
  const compute = new ComputeStack(app, stackName(config.stage, 'Compute'), {
    env,
    config,
    description: `logvault ${config.stage}: ingestion, sealing, analytics, holds (stateless)`,
  });
  // No reference crosses the stacks (issue 12 finding 10); the order still must: data, then compute.
  compute.addStackDependency(data, "reads the data stack's buckets, tables and key ARN parameters");
  // The dashboard is left out: CloudFormation's schema (per cfn-lint) has no Tags for it.
  Tags.of(app).add('logvault:stage', config.stage, {
    excludeResourceTypes: ['AWS::CloudWatch::Dashboard'],
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  acknowledgeOpenFindings({ data, compute }, config);
  if (options.awsRules ?? true) Validations.of(app).addPlugins(new LogvaultAwsChecks(app));
  return { data, compute };
}
