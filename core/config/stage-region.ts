import { StageConfigError } from './load-stage-config';
import { StageConfig } from './stage-config';

/** Where the caller asked for a Region: the `--region` flag and the process environment. */
export interface RegionRequest {
  /** `--region`, if given. */
  readonly flag?: string;
  /** Read for `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The Region the CLI works in for a stage (issue 12 finding 8). A pinned
 * stage is where its config says, whatever the environment holds, and a
 * contradicting `--region` is refused; an unpinned stage needs the caller to
 * say. Nothing falls back to us-east-1: looking in a Region the stage was not
 * deployed to finds nothing, and an audit or verify would report that as the
 * stage's state.
 */
export function stageRegion(config: StageConfig, request: RegionRequest): string {
  const asked = request.flag ?? request.env.AWS_REGION ?? request.env.AWS_DEFAULT_REGION;
  if (config.region !== undefined) {
    if (request.flag !== undefined && request.flag !== config.region)
      throw new StageConfigError(
        `--region ${request.flag} contradicts stage ${config.stage}, pinned to ${config.region}: omit --region`,
      );
    return config.region;
  }
  if (asked === undefined || asked === '')
    throw new StageConfigError(
      `stage ${config.stage} is not pinned to a Region: pass --region or set AWS_REGION ` +
        `(or set account and region in core/config/stages.ts)`,
    );
  return asked;
}
