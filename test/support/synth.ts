import { StageConfig } from '../../core/config/stage-config';
import { stages } from '../../core/config/stages';
import { SynthesizedStage, synthesizeStage } from '../../lib/synth';

export { promisesOf } from '../../core/audit/promises';
export type { SynthesizedStage } from '../../lib/synth';

export const stageNames = Object.keys(stages);

const cache = new Map<string, SynthesizedStage>();

/** The stage as `cdk synth` makes it (lib/synth.ts), synthesized once per configuration. */
export function synthStage(stage: string | StageConfig): SynthesizedStage {
  const key = JSON.stringify(stage);
  const cached = cache.get(key) ?? synthesizeStage(stage);
  cache.set(key, cached);
  return cached;
}
