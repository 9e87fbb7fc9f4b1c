import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadStageConfig } from '../../core/config/load-stage-config';
import { awsClients } from '../aws-clients';
import { ROOT, ScenarioContext, ScenarioOptions, scenarioContext } from './context';
import { aggregateAndQuery } from './steps/aggregate';
import { runPrivacyAudit } from './steps/audit';
import { createStage } from './steps/create-stage';
import { holdAndRelease } from './steps/holds';
import { sealAndVerify } from './steps/seal';
import { shipTraffic } from './steps/ship';
import { smokeStage } from './steps/smoke';

export interface StepResult {
  readonly name: string;
  readonly seconds: number;
  readonly summary: string;
}

export interface ScenarioResult {
  readonly steps: StepResult[];
  /** Facts later checked by the end-to-end test. */
  readonly facts: Record<string, unknown>;
}

/** The steps in order; each is one file under steps/ and returns its summary line. */
function stepsOf(options: ScenarioOptions) {
  const acmeLines = Math.max(100, Math.round(options.lines / 10));
  return [
    ['create the stage on the stand-ins from its synthesized template', createStage],
    [
      `generate ${options.lines} OCSP and ${acmeLines} ACME lines and ship them with logvault ship`,
      (ctx: ScenarioContext) => shipTraffic(ctx, acmeLines),
    ],
    [
      'seal subscriber logs into the locked archive, write signed digests, verify the chain',
      sealAndVerify,
    ],
    ['run the daily aggregation on Trino and print the top certificates', aggregateAndQuery],
    [
      'open an ACME case and an OCSP investigation, try to delete held data, release both',
      holdAndRelease,
    ],
    ['run the privacy audit', runPrivacyAudit],
    ['run logvault smoke with canary data, as after a deploy', smokeStage],
  ] as const;
}

/**
 * The scripted end-to-end run on the stand-ins: recreate the stage from its
 * template, ship traffic, seal, aggregate, hold and release, audit.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const work = join(ROOT, '.run', 'scenario');
  mkdirSync(work, { recursive: true });
  const ctx = scenarioContext(options, loadStageConfig(options.stage), awsClients(), work);
  const steps: StepResult[] = [];
  for (const [name, body] of stepsOf(options)) {
    options.print(`\n▶ ${name}`);
    const started = Date.now();
    const summary = await body(ctx);
    const seconds = (Date.now() - started) / 1000;
    steps.push({ name, seconds, summary });
    options.print(`  ${summary} (${seconds.toFixed(1)} s)`);
  }
  ctx.facts.checks = ctx.checks();
  options.print('\nSummary');
  for (const s of steps)
    options.print(`  ${s.seconds.toFixed(1).padStart(6)} s  ${s.name}: ${s.summary}`);
  const total = steps.reduce((t, s) => t + s.seconds, 0);
  options.print(`  ${total.toFixed(1).padStart(6)} s  total`);
  return { steps, facts: ctx.facts };
}
