import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { StageConfigError, loadStageConfig } from '../../core/config/load-stage-config';
import { stageRegion } from '../../core/config/stage-region';
import { StageConfig } from '../../core/config/stage-config';
import {
  BucketPurpose,
  Placement,
  awsPlacement,
  bucketName,
  databaseName,
  jobsWorkGroupName,
  workGroupName,
} from '../../core/naming';
import { QueryRunner } from '../../core/query/runner';
import { queryRunnerFromEnv } from '../../core/query/from-env';

/**
 * What the analytics commands need of a stage: its settings, a query runner
 * whose unqualified names resolve in the stage's database, and bucket names.
 */
export interface StageAnalytics {
  readonly config: StageConfig;
  readonly runner: QueryRunner;
  /** Name of one of the stage's buckets, e.g. `aggregates`. */
  bucket(purpose: BucketPurpose): Promise<string>;
  /** The stage's account and Region: the stage's, else the environment's and the caller's. */
  placement(): Promise<Placement>;
}

/**
 * `purpose` picks the default workgroup: `jobs` for what writes with CTAS
 * (`logvault aggregate`), the analysts' enforced workgroup otherwise.
 */
export function stageAnalytics(
  stage: string,
  env: NodeJS.ProcessEnv = process.env,
  purpose: 'analysts' | 'jobs' = 'analysts',
): StageAnalytics {
  const config = loadStageConfig(stage);
  // The catalog's names (lib/analytics/catalog.ts) unless the environment says otherwise.
  const runner = queryRunnerFromEnv({
    ...env,
    LOGVAULT_GLUE_DATABASE: env.LOGVAULT_GLUE_DATABASE || databaseName(stage),
    ATHENA_WORKGROUP:
      env.ATHENA_WORKGROUP || (purpose === 'jobs' ? jobsWorkGroupName : workGroupName)(stage),
  });
  let placement: Promise<Placement> | undefined;
  const placed = () => {
    // Only the names need the Region, so a usage error is found without it.
    if (!config.region && !env.AWS_REGION && !env.AWS_DEFAULT_REGION)
      throw new StageConfigError(
        `stage ${stage} is not pinned to a Region: set AWS_REGION, or give the bucket (--bucket)`,
      );
    const region = stageRegion(config, { env });
    placement ??= (
      config.account
        ? Promise.resolve(config.account)
        : new STSClient({ region })
            .send(new GetCallerIdentityCommand({}))
            .then((identity) => identity.Account!)
    ).then((id) => awsPlacement(id, region));
    return placement;
  };
  return {
    config,
    runner,
    bucket: (purpose) => placed().then((at) => bucketName(stage, purpose, at)),
    placement: placed,
  };
}
