import { parseArgs } from 'node:util';
import { loadStageConfig } from '../../../core/config/load-stage-config';
import { stageRegion } from '../../../core/config/stage-region';
import type { CaseRecord } from '../../../core/holds/case';
import type { CaseStatusView, HoldOutcome } from '../../../core/holds';
import type { HoldResponse } from '../../../core/holds/response';
import { Command, ExitCode, UsageError, stageOption, textOptions } from '../../command';
import { printCase, printCases, printOutcome, progressBar } from './print';
import { repairCommand } from './repair';
import { HoldOp, Transport, lambdaTransport, localTransport } from './transport';

const usage = `usage: logvault hold apply CASE --dataset acme|ocsp --from ISO --to ISO --reason TEXT --ticket REF
                         [--account ID]... [--ip IP|CIDR]... [--serial HEX]... [--domain NAME]...
       logvault hold release CASE --reason TEXT
       logvault hold list
       logvault hold show CASE
       logvault hold repair
  common: [--dry-run] [--json] [--stage NAME] [--requester WHO] [--local]

  apply      legal hold ON (ACME: every archived version in scope, and what is sealed into
             the scope while the case is open; OCSP: extract only the matching records
             into the investigations bucket, held; an OCSP scope cannot end in the future)
  release    hold OFF where no other active case covers the version; OCSP: delete the extract
  list/show  the registry and the case's audit trail
  repair     find legal holds out of step with the registry (a version held that no case
             covers, a version of an active case not held) and settle each through the
             path apply and release take, audited; runs in-process with your credentials
  --dry-run  print what would be held or released (object count, bytes), change nothing
  --local    run the handler code in-process against the stand-ins (moto, Trino) instead of
             invoking the deployed functions (logvault-<stage>-hold-*)
  --requester  recorded in the audit trail (default: $USER)

Exit codes: 0 done, 1 rejected request or keys that failed (rerun to retry),
            2 bad usage, 3 AWS or environment failure.`;

const options = {
  ...textOptions('dataset', 'from', 'to', 'reason', 'ticket', 'requester'),
  account: { type: 'string', multiple: true },
  ip: { type: 'string', multiple: true },
  serial: { type: 'string', multiple: true },
  domain: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  local: { type: 'boolean', default: false },
  ...stageOption,
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

/** The action and case id of the command line, checked before anything is sent. */
function actionOf(positionals: string[]): { action: string; caseId?: string } {
  const [action, caseId, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!['apply', 'release', 'list', 'show', 'repair'].includes(action ?? ''))
    throw new UsageError('expected apply, release, list, show or repair');
  const wholeStage = action === 'list' || action === 'repair';
  if (!wholeStage && !caseId) throw new UsageError(`${action} needs a CASE id`);
  if (wholeStage && caseId) throw new UsageError(`${action} takes no CASE id`);
  return { action: action!, caseId };
}

/** The event the hold function takes; its own schema judges it, so values pass through as given. */
function eventOf(action: string, caseId: string | undefined, values: Values, requester: string) {
  if (action !== 'apply')
    return { caseId, requester, reason: values.reason, dryRun: values['dry-run'] };
  const filters = {
    accountIds: values.account,
    ips: values.ip,
    serials: values.serial,
    domains: values.domain,
  };
  return {
    case: {
      caseId,
      dataset: values.dataset,
      scope: { from: values.from, to: values.to, filters },
      reason: values.reason,
      ticket: values.ticket,
      requester,
    },
    dryRun: values['dry-run'],
  };
}

function rejected(response: HoldResponse<unknown>): boolean {
  if (response.ok) return false;
  console.error(`logvault hold: rejected: ${response.rejected}`);
  return true;
}

async function show(send: Transport, action: string, caseId: string | undefined, json: boolean) {
  const response = await send('status', action === 'list' ? { list: true } : { caseId });
  if (rejected(response)) return ExitCode.findings;
  const result = (response as { result: CaseStatusView | { cases: CaseRecord[] } }).result;
  if (json) console.log(JSON.stringify(result, null, 2));
  else if ('cases' in result) printCases(result.cases);
  else printCase(result);
  return ExitCode.ok;
}

/** A function stops before its timeout and answers in-progress: invoke again until done. */
async function untilDone(send: Transport, op: HoldOp, event: unknown, json: boolean) {
  const progress = json ? () => undefined : progressBar();
  let lastMessage: string | undefined;
  for (;;) {
    const response = await send(op, JSON.parse(JSON.stringify(event)));
    if (rejected(response)) return ExitCode.findings;
    const outcome = (response as { result: HoldOutcome }).result;
    if (outcome.result !== 'in-progress') {
      if (json) console.log(JSON.stringify(outcome, null, 2));
      else printOutcome(op, outcome);
      return outcome.failures.length > 0 ? ExitCode.findings : ExitCode.ok;
    }
    // An OCSP extract's query has no objects yet: its message says what runs.
    if (!json && outcome.objectCount > 0) progress(outcome.processed, outcome.objectCount);
    // A batch job or an extract query runs on its own: say what runs when it changes, poll at its pace.
    if (outcome.retryAfterSeconds !== undefined) {
      if (!json && outcome.message !== lastMessage) console.error(outcome.message);
      lastMessage = outcome.message;
      await new Promise((r) => setTimeout(r, outcome.retryAfterSeconds! * 1000));
    }
  }
}

export const holdCommand: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options });
    const { action, caseId } = actionOf(positionals);
    const stage = values.stage;
    const region = stageRegion(loadStageConfig(stage), { env: process.env });
    const requester = values.requester ?? process.env.USER ?? 'unknown';
    if (action === 'repair')
      return repairCommand({
        stage,
        region,
        dryRun: values['dry-run'],
        json: values.json,
        requester,
      });
    const send = values.local
      ? await localTransport(stage, region, values.json ? () => undefined : progressBar())
      : lambdaTransport(stage, region);
    if (action === 'list' || action === 'show') return show(send, action, caseId, values.json);
    const event = eventOf(action, caseId, values, requester);
    return untilDone(send, action as HoldOp, event, values.json);
  },
};
