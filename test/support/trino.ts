import { loadStageConfig } from '../../core/config/load-stage-config';
import { StageConfig } from '../../core/config/stage-config';
import { LoadResult, loadTemplates } from '../../local/template-loader';
import { AwsClients } from '../../local/aws-clients';
import { TrinoQueryRunner } from '../../core/query/trino-runner';
import {
  BucketPurpose,
  awsPlacement,
  bucketName,
  databaseName,
  stackName,
  jobsWorkGroupName,
  workGroupName,
} from '../../core/naming';
import type { CfnTemplate } from '../../core/template/types';
import { synthStageNamed } from './synth';
import { LOCAL_REGION, freshAccount, uniqueSuffix, useStandins } from './standins';

/** Resource types of the compute stack that make up the analytics catalog. */
const catalogTypes = new Set(['AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::Athena::WorkGroup']);

export interface StageOnStandins {
  /** The stage as loaded: the base stage's settings under a unique name. */
  readonly config: StageConfig;
  readonly clients: AwsClients;
  readonly accountId: string;
  /** Bucket names by data-stack purpose. */
  readonly buckets: {
    readonly ocspRawLogs: string;
    readonly subscriberLanding: string;
    readonly subscriberArchive: string;
    readonly investigations: string;
    readonly aggregates: string;
    readonly queryResults: string;
  };
  /** Glue database of the catalog, e.g. `logvault_dev_k3x9q2`. */
  readonly database: string;
  readonly workGroup: string;
  /** Where the jobs' CTAS runs (the analysts' workgroup refuses it, as Athena does). */
  readonly jobsWorkGroup: string;
  /** Trino on the stand-ins, unqualified names resolving in `database`. */
  readonly runner: TrinoQueryRunner;
  /** Trino as above, applying Athena's rules of that workgroup (core/query/workgroups.ts). */
  readonly runnerIn: (workGroup: string) => TrinoQueryRunner;
  readonly load: LoadResult;
  /** The templates `cdk synth` makes for the stage under its unique name. */
  readonly templates: Record<string, CfnTemplate>;
}

/**
 * Synthesizes `stage` under a unique stage name (so concurrent test files
 * never share a Glue database, workgroup or bucket on the shared moto), loads
 * its data stack and the compute stack's catalog onto moto with the template
 * loader, and returns a Trino runner over them. Fails when any of those
 * resources could not be created.
 */
export async function loadStageOnStandins(
  stage = 'dev',
  /** Compute-stack resource types to load besides the catalog (e.g. the daily workflow's). */
  alsoLoad: readonly string[] = [],
): Promise<StageOnStandins> {
  const clients = useStandins();
  const base = loadStageConfig(stage);
  // Three characters: `dev-xyz` is the longest unpinned stage name whose bucket
  // names fit 63 characters in every Region, which the rule pack enforces at synth.
  const { config, templates } = synthStageNamed(base, uniqueSuffix().slice(0, 3));
  const data = stackName(config.stage, 'Data');
  const computeName = stackName(config.stage, 'Compute');
  const compute = templates[computeName];
  const catalogOnly = {
    ...compute,
    Resources: Object.fromEntries(
      Object.entries(compute.Resources ?? {}).filter(
        ([, r]) => catalogTypes.has(r.Type) || alsoLoad.includes(r.Type),
      ),
    ),
  };
  const accountId = freshAccount();
  const load = await loadTemplates(
    [
      { stackName: data, template: templates[data] },
      { stackName: computeName, template: catalogOnly },
    ],
    clients,
    { accountId, region: LOCAL_REGION },
  );
  const failed = load.resources.filter((r) => r.status === 'failed');
  if (failed.length > 0)
    throw new Error(`stage ${config.stage} did not load: ${JSON.stringify(failed, null, 2)}`);
  const bucket = (purpose: BucketPurpose) =>
    bucketName(config.stage, purpose, awsPlacement(accountId, LOCAL_REGION));
  const database = databaseName(config.stage);
  const runnerIn = (workGroup?: string) =>
    new TrinoQueryRunner({
      url: process.env.TRINO_URL ?? 'http://127.0.0.1:18080',
      schema: database,
      workGroup,
    });
  return {
    config,
    clients,
    accountId,
    buckets: {
      ocspRawLogs: bucket('ocsp-raw'),
      subscriberLanding: bucket('subscriber-landing'),
      subscriberArchive: bucket('subscriber-archive'),
      investigations: bucket('investigations'),
      aggregates: bucket('aggregates'),
      queryResults: bucket('query-results'),
    },
    database,
    workGroup: workGroupName(config.stage),
    jobsWorkGroup: jobsWorkGroupName(config.stage),
    runner: runnerIn(),
    runnerIn,
    load,
    templates,
  };
}
