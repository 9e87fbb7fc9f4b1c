import { loadTemplates, notEmulated, readCloudAssembly } from '../../template-loader';
import { SCENARIO_ACCOUNT, SCENARIO_REGION, ScenarioContext } from '../context';

async function resetStandins(): Promise<void> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint)
    throw new Error(
      'AWS_ENDPOINT_URL is not set: run `eval "$(bash scripts/standins.sh env)"` first',
    );
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`resetting moto failed: HTTP ${response.status}`);
}

/** Step 1: the stage recreated on the stand-ins from its synthesized template. */
export async function createStage(ctx: ScenarioContext): Promise<string> {
  const { print } = ctx.options;
  await resetStandins();
  const { resources } = await loadTemplates(readCloudAssembly(ctx.options.assembly), ctx.clients, {
    accountId: SCENARIO_ACCOUNT,
    region: SCENARIO_REGION,
  });
  const count = (status: string) => resources.filter((r) => r.status === status).length;
  const skipped = new Map<string, number>();
  for (const r of resources.filter((x) => x.status === 'skipped'))
    skipped.set(r.type, (skipped.get(r.type) ?? 0) + 1);
  for (const [type, n] of skipped) print(`    not emulated  ${n} × ${type}: ${notEmulated[type]}`);
  for (const r of resources.filter(
    (x) => (x.status !== 'created' && x.status !== 'skipped') || x.note,
  ))
    print(`    ${r.status.padEnd(12)}  ${r.type} ${r.logicalId}: ${r.note ?? r.detail}`);
  ctx.facts.load = {
    created: count('created'),
    skipped: count('skipped'),
    unsupported: count('unsupported'),
    failed: count('failed'),
  };
  if (count('failed') > 0) throw new Error('some resources could not be created; see above');
  return `${count('created')} resources created, ${count('skipped')} not emulated, ${count('unsupported')} unsupported`;
}
