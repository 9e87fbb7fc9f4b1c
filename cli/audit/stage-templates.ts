import { buildStage, newLogvaultApp, templatesOnly } from '../../lib/app';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { StageConfig, lockDays } from '../../core/config/stage-config';
import { CfnTemplate, RetentionPromises } from '../../core/audit/inventory';

/** Synthesizes a stage in-process (offline, cdk-nag included) and returns its templates by stack. */
export function synthesizeStage(stage: string): {
  config: StageConfig;
  templates: Record<string, CfnTemplate>;
} {
  const config = loadStageConfig(stage);
  const app = newLogvaultApp(templatesOnly);
  buildStage(app, config);
  const assembly = app.synth();
  return {
    config,
    templates: Object.fromEntries(
      assembly.stacks.map((s) => [s.stackName, s.template as CfnTemplate]),
    ),
  };
}

export function promisesOf(config: StageConfig): RetentionPromises {
  return {
    subscriberLockMode: config.subscriber.lock.mode,
    subscriberLockDays: lockDays(config),
    landingExpiryDays: config.subscriber.landingExpiryDays,
  };
}
