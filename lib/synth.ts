import { loadStageConfig } from '../core/config/load-stage-config';
import { StageConfig } from '../core/config/stage-config';
import type { CfnTemplate } from '../core/template/types';
import { App } from 'aws-cdk-lib';
import { buildStage, featureFlags, newLogvaultApp, templatesOnly } from './app';

export interface SynthesizedStage {
  readonly config: StageConfig;
  /** Templates by stack name. */
  readonly templates: Record<string, CfnTemplate>;
}

/**
 * Synthesizes a stage in-process exactly as `cdk synth` does, cdk-nag packs
 * included (they throw on findings), without bundling the functions: what
 * `logvault audit` and the tests judge. CDK's built-in template validation
 * is left out: it only warns and changes no template, and starting its
 * engine costs seconds of CPU per process (`cdk synth` keeps it).
 */
export function synthesizeStage(stage: string | StageConfig): SynthesizedStage {
  const config = typeof stage === 'string' ? loadStageConfig(stage) : stage;
  const app = newLogvaultApp(templatesOnly, { builtinCloudFormationValidation: false });
  buildStage(app, config);
  const assembly = app.synth();
  return {
    config,
    templates: Object.fromEntries(
      assembly.stacks.map((s) => [s.stackName, s.template as CfnTemplate]),
    ),
  };
}

/**
 * The context `cdk synth` (CLI 2.1148) hands the app, read from its
 * CDK_CONTEXT_JSON: path and asset metadata, version reporting, bundling of
 * every stack. failSynthOnValidationErrors is left at its default, so a
 * cdk-nag finding throws here where the CLI would fail after the app exits.
 */
export const cdkSynthContext = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
} as const;

/**
 * Writes the cloud assembly `cdk synth -q -c stage=<stage> -o <outdir>`
 * writes (functions bundled, cdk-nag packs attached), in this process: a
 * run that synthesizes several stages loads aws-cdk-lib once instead of
 * starting the CLI and the app once per stage.
 */
export function writeStageAssembly(stage: string, outdir: string): void {
  const app = new App({
    outdir,
    context: { ...featureFlags, ...cdkSynthContext, stage },
  });
  buildStage(app, loadStageConfig(stage));
  app.synth();
}
