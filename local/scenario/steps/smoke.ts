import { join } from 'node:path';
import type { SmokeReport } from '../../../core/smoke/run';
import { SCENARIO_ACCOUNT, ScenarioContext, logvault } from '../context';
import { onTrino } from './aggregate';

/** Checks the stand-ins can run in full; the others must be skipped, each with its reason. */
const PASS_ON_STAND_INS = ['digest', 'streams', 'seal', 'athena', 'holds'];
const SKIPPED_ON_STAND_INS = ['alarm', 'retention-monitor'];

/**
 * Step 7: `logvault smoke --local`, as after a deploy: canaries through the
 * stage, the keyring the seal step published, and nothing left behind but
 * the sealed canary the archive's lock keeps.
 */
export async function smokeStage(ctx: ScenarioContext): Promise<string> {
  const { stage } = ctx.options;
  const args = ['smoke', '--local', '--stage', stage, '--account', SCENARIO_ACCOUNT, '--json'];
  const trustDir = join(ctx.work, 'trust', stage);
  const report = JSON.parse(
    await logvault([...args, '--trust-dir', trustDir], onTrino(stage), [1]),
  ) as SmokeReport;
  for (const r of report.results)
    ctx.options.print(`    ${r.check.padEnd(18)} ${r.status.toUpperCase().padEnd(5)} ${r.detail}`);
  const status = (check: string) => report.results.find((r) => r.check === check)?.status;
  ctx.check(
    `smoke passes ${PASS_ON_STAND_INS.join(', ')} on the stand-ins`,
    PASS_ON_STAND_INS.every((c) => status(c) === 'pass'),
  );
  ctx.check(
    `smoke skips ${SKIPPED_ON_STAND_INS.join(' and ')}, each with its reason`,
    SKIPPED_ON_STAND_INS.every((c) => status(c) === 'skip'),
  );
  const left = report.cleanup.filter(
    (c) => c.outcome !== 'removed' && c.outcome !== 'already-gone',
  );
  ctx.check(
    'smoke removed every canary resource but the sealed canary the archive lock keeps',
    report.exitCode === 0 &&
      left.length > 0 &&
      left.every((c) => c.outcome === 'kept' && c.what.includes('subscriber-archive')),
  );
  ctx.facts.smoke = report;
  return `${report.results.filter((r) => r.status === 'pass').length} checks passed, ${left.length} sealed canary kept, the rest removed`;
}
