import { repairOrphans, type RepairOutcome } from '../../../core/holds/orphans';
import { objectRef } from '../../../core/holds/registry';
import { ExitCode } from '../../command';
import { stageHoldDeps } from './transport';

function printRepair(outcome: RepairOutcome, dryRun: boolean): void {
  const { heldUncovered, coveredNotHeld } = outcome;
  for (const o of heldUncovered) console.log(`held, no case covers it: ${objectRef(o)}`);
  for (const m of coveredNotHeld)
    console.log(`not held, active case ${m.caseId} covers it: ${objectRef(m)}`);
  const found = heldUncovered.length + coveredNotHeld.length;
  console.log(
    dryRun
      ? `${found} orphan(s) found; nothing changed (dry run)`
      : `${found} orphan(s) found, ${outcome.repaired} repaired and audited, ${outcome.failures.length} failed`,
  );
  for (const f of outcome.failures) console.error(`failed: ${f.version}: ${f.error}`);
}

/**
 * `logvault hold repair`: settles every orphaned legal hold in-process with
 * the caller's credentials (the hold-release rights plus a read of the
 * registry), through the path apply and release take. Exit 1 when orphans
 * remain: found by a dry run, or failed to repair.
 */
export async function repairCommand(options: {
  stage: string;
  region: string;
  dryRun: boolean;
  json: boolean;
  requester: string;
}): Promise<number> {
  const deps = await stageHoldDeps(options.stage, options.region, () => undefined);
  const outcome = await repairOrphans(deps, {
    dryRun: options.dryRun,
    actor: options.requester,
  });
  if (options.json) console.log(JSON.stringify(outcome, null, 2));
  else printRepair(outcome, options.dryRun);
  const found = outcome.heldUncovered.length + outcome.coveredNotHeld.length;
  const left = options.dryRun ? found : outcome.failures.length;
  return left > 0 ? ExitCode.findings : ExitCode.ok;
}
