import { readFileSync } from 'node:fs';
import { arns, awsPlacement } from '../core/naming';
import { join } from 'node:path';
import { AwsClients } from './aws-clients';
import { CfnResource, CfnTemplate } from '../core/template/types';
import {
  CreatedResource,
  ResolveContext,
  UnresolvableError,
  resolve,
} from '../core/template/intrinsics';
import { ResourceCreator } from './resources/types';
import {
  createDatabase as createGlueDatabase,
  createTable as createGlueTable,
} from './resources/glue';
import { createWorkGroup } from './resources/athena';
import { createBucket, createBucketPolicy } from './resources/s3-bucket';
import { createAlias, createKey } from './resources/kms';
import { createDeliveryStream } from './resources/firehose';
import { createLogGroup, createLogStream } from './resources/logs';
import { createRole } from './resources/iam';
import { createTable } from './resources/dynamodb';
import { SSM_PARAMETER_VALUE, createParameter } from './resources/ssm';
import { createStateMachine } from './resources/stepfunctions';
import { createTopic } from './resources/sns';

/**
 * Creates the resources of synthesized templates on the stand-ins through the
 * SDK, with the templates' own properties. moto's CloudFormation drops Object
 * Lock, versioning and lifecycle and skips Firehose, Glue and Athena, so the
 * templates are replayed resource by resource instead.
 */

export const creators: Record<string, ResourceCreator> = {
  'AWS::S3::Bucket': createBucket,
  'AWS::S3::BucketPolicy': createBucketPolicy,
  'AWS::KMS::Key': createKey,
  'AWS::KMS::Alias': createAlias,
  'AWS::KinesisFirehose::DeliveryStream': createDeliveryStream,
  'AWS::Logs::LogGroup': createLogGroup,
  'AWS::Logs::LogStream': createLogStream,
  'AWS::IAM::Role': createRole,
  'AWS::DynamoDB::Table': createTable,
  'AWS::Glue::Database': createGlueDatabase,
  'AWS::Glue::Table': createGlueTable,
  'AWS::Athena::WorkGroup': createWorkGroup,
  'AWS::SSM::Parameter': createParameter,
  'AWS::StepFunctions::StateMachine': createStateMachine,
  'AWS::SNS::Topic': createTopic,
};

/** Types deliberately not created locally, with the reason shown in the load report. */
export const notEmulated: Record<string, string> = {
  'AWS::CDK::Metadata': 'CDK bookkeeping, nothing to create',
  'Custom::S3AutoDeleteObjects':
    'empties a non-production bucket when its stack is deleted; nothing to do on creation',
  'AWS::IAM::Policy':
    'moto does not enforce IAM; policies are checked on the template by tests and audit',
  'AWS::IAM::ManagedPolicy':
    'moto does not enforce IAM; the producer policies are checked on the template by tests',
  'AWS::Scheduler::Schedule':
    'moto stores schedules but never fires them; locally the workflow driver starts the daily job as the schedule would',
  'AWS::Lambda::Function':
    'no Lambda runtime locally: the scenario and the `--local` CLIs call the same handler code in-process',
  'AWS::Lambda::Permission': 'no Lambda runtime locally',
  'AWS::Events::Rule':
    'EventBridge delivers no S3 events or schedules locally; the scenario triggers the same code',
  'AWS::SQS::Queue': 'dead-letter queue of a function that does not run locally',
  'AWS::SQS::QueuePolicy': 'dead-letter queue of a function that does not run locally',
  'AWS::CloudWatch::Alarm': 'moto evaluates no alarms; alarms are asserted on the template',
  'AWS::CloudWatch::Dashboard':
    'nothing to show without CloudWatch metrics; asserted on the template',
  'AWS::SNS::Subscription': 'alarm topic subscriber; no alarms fire locally',
  'AWS::SNS::TopicPolicy': 'alarm topic; no alarms fire locally',
};

/**
 * What a skipped resource is still referred to by, when its template fixes
 * its name: a delivery stream's processor names its transformation function.
 */
const skippedIdentity: Record<
  string,
  (p: Record<string, unknown>, ctx: ResolveContext) => CreatedResource | undefined
> = {
  'AWS::Lambda::Function': (p, ctx) =>
    typeof p.FunctionName !== 'string'
      ? undefined
      : {
          ref: p.FunctionName,
          attributes: {
            Arn: arns.lambdaFunction(awsPlacement(ctx.accountId, ctx.region), p.FunctionName),
          },
        },
};

export interface StackTemplate {
  readonly stackName: string;
  readonly template: CfnTemplate & {
    Parameters?: Record<string, { Type: string; Default?: unknown }>;
    Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  };
}

export type LoadStatus = 'created' | 'skipped' | 'unsupported' | 'failed';

export interface LoadedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: LoadStatus;
  /** Physical id when created; the reason otherwise. */
  readonly detail: string;
  /** What the stand-in could not reproduce, if anything. */
  readonly note?: string;
}

export interface LoadResult {
  readonly resources: LoadedResource[];
  /** The resolved template properties each created resource was made from, by `stack/logicalId`. */
  readonly properties: Map<string, Record<string, unknown>>;
  /** Every created resource by `stack/logicalId`. */
  readonly physical: Map<string, CreatedResource>;
  /** The values the stacks export, by export name, for the stacks that import them. */
  readonly exports: ReadonlyMap<string, string>;
  /** The SSM parameters the stacks store, by parameter name, for stacks that read them. */
  readonly ssmParameters: ReadonlyMap<string, string>;
}

/**
 * The values of a template's SSM-typed parameters, as CloudFormation reads
 * them at deploy time from the parameters earlier stacks stored.
 */
export function parameterValues(
  template: StackTemplate['template'],
  ssmParameters: ReadonlyMap<string, string>,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, declared] of Object.entries(template.Parameters ?? {})) {
    if (declared.Type !== SSM_PARAMETER_VALUE) continue;
    const stored = ssmParameters.get(String(declared.Default));
    if (stored !== undefined) values.set(name, stored);
  }
  return values;
}

/** Stacks of a cloud assembly directory (cdk.out), dependencies first. */
export function readCloudAssembly(dir: string): StackTemplate[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<
      string,
      { type: string; dependencies?: string[]; properties?: { templateFile: string } }
    >;
  };
  const stacks = Object.entries(manifest.artifacts).filter(
    ([, a]) => a.type === 'aws:cloudformation:stack',
  );
  const ordered: string[] = [];
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    for (const dep of manifest.artifacts[name]?.dependencies ?? [])
      if (manifest.artifacts[dep]?.type === 'aws:cloudformation:stack') visit(dep);
    ordered.push(name);
  };
  stacks.forEach(([name]) => visit(name));
  return ordered.map((name) => ({
    stackName: name,
    template: JSON.parse(
      readFileSync(join(dir, manifest.artifacts[name].properties!.templateFile), 'utf8'),
    ),
  }));
}

/** What loading builds up across stacks: exports for later stacks, and the report. */
interface LoadState {
  readonly clients: AwsClients;
  readonly target: { accountId: string; region: string };
  readonly exports: Map<string, string>;
  readonly ssmParameters: Map<string, string>;
  readonly physical: Map<string, CreatedResource>;
  readonly properties: Map<string, Record<string, unknown>>;
  readonly report: LoadedResource[];
}

type Pending = [string, CfnResource][];
type Deferred = { logicalId: string; type: string; step: () => Promise<unknown> };

/**
 * Creates every supported resource of `stacks` in dependency order. Resources
 * of unsupported types are reported as such, never silently dropped.
 */
export async function loadTemplates(
  stacks: StackTemplate[],
  clients: AwsClients,
  target: { accountId: string; region: string },
): Promise<LoadResult> {
  const state: LoadState = {
    clients,
    target,
    exports: new Map(),
    ssmParameters: new Map(),
    physical: new Map(),
    properties: new Map(),
    report: [],
  };
  for (const stack of stacks) await loadStack(stack, state);
  const { report, physical, properties, exports, ssmParameters } = state;
  return { resources: report, physical, properties, exports, ssmParameters };
}

async function loadStack({ stackName, template }: StackTemplate, state: LoadState): Promise<void> {
  const ctx: ResolveContext = {
    ...state.target,
    stackName,
    resources: new Map(),
    exports: state.exports,
    parameters: parameterValues(template, state.ssmParameters),
  };
  const deferred: Deferred[] = [];
  let pending: Pending = Object.entries(template.Resources ?? {});
  while (pending.length > 0) {
    const { waiting, blockers } = await createReady(stackName, pending, ctx, state, deferred);
    if (waiting.length === pending.length) {
      for (const [logicalId, resource] of waiting)
        state.report.push({
          stackName,
          logicalId,
          type: resource.Type,
          status: 'failed',
          detail: blockers.get(logicalId)!,
        });
      break;
    }
    pending = waiting;
  }
  for (const { logicalId, type, step } of deferred)
    await step().catch((error: Error) =>
      state.report.push({
        stackName,
        logicalId,
        type,
        status: 'failed',
        detail: `after creation: ${error.message}`,
      }),
    );
  for (const output of Object.values(template.Outputs ?? {})) {
    if (!output.Export) continue;
    try {
      state.exports.set(
        String(resolve(output.Export.Name, ctx)),
        String(resolve(output.Value, ctx)),
      );
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error;
    }
  }
}

/** One pass: creates every pending resource whose properties resolve; returns those that wait. */
async function createReady(
  stackName: string,
  pending: Pending,
  ctx: ResolveContext,
  state: LoadState,
  deferred: Deferred[],
): Promise<{ waiting: Pending; blockers: Map<string, string> }> {
  const waiting: Pending = [];
  const blockers = new Map<string, string>();
  for (const [logicalId, resource] of pending) {
    const entry = { stackName, logicalId, type: resource.Type };
    const creator = creators[resource.Type];
    if (!creator) {
      const reason = notEmulated[resource.Type];
      const identity = skippedIdentity[resource.Type]?.(resource.Properties ?? {}, ctx);
      if (identity !== undefined) ctx.resources.set(logicalId, identity);
      state.report.push({
        ...entry,
        status: reason ? 'skipped' : 'unsupported',
        detail: reason ?? 'no local creator',
      });
      continue;
    }
    let properties: Record<string, unknown>;
    try {
      properties = resolve(resource.Properties ?? {}, ctx) as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error;
      blockers.set(logicalId, error.message);
      waiting.push([logicalId, resource]);
      continue;
    }
    try {
      const defer = (step: () => Promise<unknown>) =>
        deferred.push({ logicalId, type: resource.Type, step });
      const created = await creator(logicalId, properties, { clients: state.clients, ctx, defer });
      ctx.resources.set(logicalId, created);
      if (resource.Type === 'AWS::SSM::Parameter')
        state.ssmParameters.set(String(properties.Name), String(properties.Value));
      state.physical.set(`${stackName}/${logicalId}`, created);
      state.properties.set(`${stackName}/${logicalId}`, properties);
      state.report.push({ ...entry, status: 'created', detail: created.ref, note: created.note });
    } catch (error) {
      state.report.push({ ...entry, status: 'failed', detail: (error as Error).message });
    }
  }
  return { waiting, blockers };
}
