import { loadStageConfig } from '../../core/config/load-stage-config';
import { StageConfig } from '../../core/config/stage-config';
import { buildStage, newLogvaultApp, templatesOnly } from '../../lib/app';
import { CfnTemplate } from '../../core/audit/inventory';
import { stages } from '../../core/config/stages';

export const stageNames = Object.keys(stages);

export interface SynthesizedStage {
  readonly config: StageConfig;
  /** Templates by stack name. */
  readonly templates: Record<string, CfnTemplate>;
}

const cache = new Map<string, SynthesizedStage>();

/** Synthesizes a stage exactly as `cdk synth` does, cdk-nag packs included (they throw on findings). */
export function synthStage(stage: string | StageConfig): SynthesizedStage {
  const config = typeof stage === 'string' ? loadStageConfig(stage) : stage;
  const key = JSON.stringify(config);
  const cached = cache.get(key);
  if (cached) return cached;
  const app = newLogvaultApp(templatesOnly);
  buildStage(app, config);
  const assembly = app.synth();
  const templates = Object.fromEntries(
    assembly.stacks.map((s) => [s.stackName, s.template as CfnTemplate]),
  );
  const result = { config, templates };
  cache.set(key, result);
  return result;
}

export { promisesOf } from '../../cli/audit/stage-templates';
