import { parseArgs } from 'node:util';
import { loadTemplates, readCloudAssembly } from './template-loader';
import { awsClients } from './aws-clients';
import { renderAudit, runAudit } from '../cli/commands/audit';

/** The account id every local resource name is derived with. */
export const SCENARIO_ACCOUNT = '123456789012';

export interface ScenarioOptions {
  /** Cloud assembly directory of the stage (cdk synth -o). */
  readonly assembly: string;
  readonly stage: string;
  /** OCSP lines to generate; ACME gets a tenth of it. */
  readonly lines: number;
  readonly print: (line: string) => void;
}

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

async function resetStandins(): Promise<void> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint)
    throw new Error(
      'AWS_ENDPOINT_URL is not set: run `eval "$(bash scripts/standins.sh env)"` first',
    );
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`resetting moto failed: HTTP ${response.status}`);
}

/**
 * The scripted end-to-end run on the stand-ins: recreate the stage from its
 * template, ship traffic, seal, aggregate, hold and release, audit.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const steps: StepResult[] = [];
  const facts: Record<string, unknown> = {};
  const step = async (name: string, body: () => Promise<string>) => {
    options.print(`\n▶ ${name}`);
    const started = Date.now();
    const summary = await body();
    const seconds = (Date.now() - started) / 1000;
    steps.push({ name, seconds, summary });
    options.print(`  ${summary} (${seconds.toFixed(1)} s)`);
  };
  const clients = awsClients();

  await step('create the stage on the stand-ins from its synthesized template', async () => {
    await resetStandins();
    const stacks = readCloudAssembly(options.assembly);
    const { resources } = await loadTemplates(stacks, clients, {
      accountId: SCENARIO_ACCOUNT,
      region: 'us-east-1',
    });
    const count = (status: string) => resources.filter((r) => r.status === status).length;
    for (const r of resources.filter((x) => x.status !== 'created' || x.note))
      options.print(
        `    ${r.status.padEnd(11)} ${r.type.padEnd(34)} ${r.logicalId}: ${r.note ?? r.detail}`,
      );
    facts.load = {
      created: count('created'),
      skipped: count('skipped'),
      unsupported: count('unsupported'),
      failed: count('failed'),
    };
    if (count('failed') > 0) throw new Error('some resources could not be created; see above');
    return `${count('created')} resources created, ${count('skipped')} not emulated, ${count('unsupported')} unsupported`;
  });

  await step('run the privacy audit', async () => {
    const template = await runAudit({ mode: 'template', stage: options.stage });
    const live = await runAudit({
      mode: 'live',
      stage: options.stage,
      account: SCENARIO_ACCOUNT,
      region: 'us-east-1',
    });
    options.print(renderAudit(template));
    options.print('');
    options.print(renderAudit(live));
    const failed = (rows: { verdict: string }[]) => rows.filter((r) => r.verdict === 'FAIL').length;
    facts.audit = { template: template.rows, live: live.rows };
    return `template: ${failed(template.rows)} FAIL of ${template.rows.length}; live: ${failed(live.rows)} FAIL of ${live.rows.length}`;
  });

  options.print('\nSummary');
  for (const s of steps)
    options.print(`  ${s.seconds.toFixed(1).padStart(6)} s  ${s.name}: ${s.summary}`);
  options.print(
    `  ${steps
      .reduce((t, s) => t + s.seconds, 0)
      .toFixed(1)
      .padStart(6)} s  total`,
  );
  return { steps, facts };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      assembly: { type: 'string', default: 'cdk.out/dev' },
      stage: { type: 'string', default: 'dev' },
      lines: { type: 'string', default: '300000' },
    },
  });
  runScenario({
    assembly: values.assembly!,
    stage: values.stage!,
    lines: Number(values.lines),
    print: (line) => console.log(line),
  }).catch((error: Error) => {
    console.error(`scenario failed: ${error.message}`);
    process.exitCode = 1;
  });
}
