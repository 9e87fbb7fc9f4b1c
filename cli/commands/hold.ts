import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadStageConfig } from '../../core/config/load-stage-config';
import {
  BucketPurpose,
  arns,
  auditTableName,
  awsPlacement,
  bucketName,
  databaseName,
  functionName,
  holdRoleNames,
  registryTableName,
} from '../../core/naming';
import type { CaseRecord } from '../../core/holds/case';
import { holdDepsFromEnv } from '../../core/holds/deps-from-env';
import { HoldResponse, answer } from '../../core/holds/response';
import {
  CaseStatusView,
  HoldOutcome,
  applyHold,
  holdStatus,
  releaseHold,
} from '../../core/holds/service';
import {
  applyEventSchema,
  parseOrReject,
  releaseEventSchema,
  statusEventSchema,
} from '../../core/holds/case';
import { queryRunnerFromEnv } from '../../core/query/from-env';
import { Command, ExitCode, UsageError } from '../command';
import { renderTable } from '../../core/format/table';

const usage = `usage: logvault hold apply CASE --dataset acme|ocsp --from ISO --to ISO --reason TEXT --ticket REF
                         [--account ID]... [--ip IP|CIDR]... [--serial HEX]... [--domain NAME]...
       logvault hold release CASE --reason TEXT
       logvault hold list
       logvault hold show CASE
  common: [--dry-run] [--json] [--stage NAME] [--requester WHO] [--local]

  apply      legal hold ON (ACME: every archived version in scope, tagged with the case;
             OCSP: extract only the matching records into the investigations bucket, held)
  release    hold OFF where no other active case covers the version; OCSP: delete the extract
  list/show  the registry and the case's audit trail
  --dry-run  print what would be held or released (object count, bytes), change nothing
  --local    run the handler code in-process against the stand-ins (moto, Trino) instead of
             invoking the deployed functions (logvault-<stage>-hold-*)
  --requester  recorded in the audit trail (default: $USER)

Exit codes: 0 done, 1 rejected request or keys that failed (rerun to retry),
            2 bad usage, 3 AWS or environment failure.`;

type Op = 'apply' | 'release' | 'status';

/** Where a hold request runs: the deployed function, or the same code in-process. */
type Transport = (op: Op, event: unknown) => Promise<HoldResponse<unknown>>;

function lambdaTransport(stage: string, region: string): Transport {
  const lambda = new LambdaClient({ region });
  return async (op, event) => {
    const name = functionName(stage, `hold-${op}`);
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: name,
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
    const payload = JSON.parse(Buffer.from(result.Payload ?? []).toString() || 'null');
    if (result.FunctionError)
      throw new Error(
        `${name} failed (${payload?.errorType ?? result.FunctionError}): ${payload?.errorMessage}`,
      );
    return payload as HoldResponse<unknown>;
  };
}

/**
 * The environment the compute stack gives the hold functions, filled with the
 * names the template loader gives the data stack's resources on the stand-ins
 * (Trino in place of Athena). Shared by --local and the Lambda stand-in test.
 */
export function standInHoldEnvironment(
  stage: string,
  region: string,
  account: string,
): Record<string, string> {
  const config = loadStageConfig(stage);
  const at = awsPlacement(account, region);
  const bucket = (purpose: BucketPurpose) => bucketName(stage, purpose, at);
  return {
    AWS_REGION: region,
    HOLD_TABLE: registryTableName(stage, at),
    HOLD_AUDIT_TABLE: auditTableName(stage, at),
    ARCHIVE_BUCKET: bucket('subscriber-archive'),
    INVESTIGATIONS_BUCKET: bucket('investigations'),
    HOLD_CONCURRENCY: String(config.holds.concurrency),
    // Overridable locally, to take the S3 Batch Operations path on a small archive.
    HOLD_LARGE_SCOPE_THRESHOLD:
      process.env.HOLD_LARGE_SCOPE_THRESHOLD ?? String(config.holds.largeScopeThreshold),
    HOLD_BATCH_ROLE_ARN: arns.role(at, holdRoleNames(stage).batch),
    OCSP_RAW_EXPIRY_DAYS: String(config.ocsp.rawLogExpiryDays),
    LOGVAULT_QUERY_ENGINE: process.env.LOGVAULT_QUERY_ENGINE ?? 'trino',
    LOGVAULT_GLUE_DATABASE: process.env.LOGVAULT_GLUE_DATABASE ?? databaseName(stage),
  };
}

/** The hold service code in-process against the stand-ins, with the functions' environment. */
async function localTransport(
  stage: string,
  region: string,
  onProgress: (done: number, total: number) => void,
): Promise<Transport> {
  const account =
    process.env.LOGVAULT_ACCOUNT ??
    (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
  const env = { ...process.env, ...standInHoldEnvironment(stage, region, account) };
  const deps = { ...holdDepsFromEnv(() => queryRunnerFromEnv(env), env), onProgress };
  return (op, event) =>
    answer(async () => {
      if (op === 'apply') return applyHold(deps, parseOrReject(applyEventSchema, event));
      if (op === 'release') return releaseHold(deps, parseOrReject(releaseEventSchema, event));
      return holdStatus(deps, parseOrReject(statusEventSchema, event));
    });
}

/** A one-line progress bar on stderr, only on a terminal. */
function progressBar(): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (!process.stderr.isTTY || (Date.now() - last < 100 && done < total)) return;
    last = Date.now();
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`,
    );
  };
}

const formatBytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 ** 2).toFixed(1)} MiB`;

function printOutcome(op: string, o: HoldOutcome): void {
  const what =
    o.result === 'dry-run'
      ? `would ${op}`
      : o.result === 'complete'
        ? `${op} complete`
        : `${op} ${o.result}`;
  const records = o.recordCount !== undefined ? `, ${o.recordCount} records` : '';
  console.log(
    `${o.caseId}: ${what}: ${o.objectCount} object versions, ${formatBytes(o.bytes)}${records}` +
      (o.result === 'dry-run' ? '' : ` (${o.processed} handled now)`),
  );
  if (o.case) console.log(`status: ${o.case.status}`);
  if (o.message) console.log(o.message);
  if (o.failureCount !== undefined)
    console.log(`${o.failureCount} keys failed; the first ${o.failures.length} are listed`);
  if (o.failures.length > 0)
    console.log(
      renderTable(
        ['KEY', 'VERSION', 'ERROR'],
        o.failures.map((f) => [f.key, f.versionId, f.error]),
      ),
    );
}

function printCases(cases: CaseRecord[]): void {
  console.log(
    renderTable(
      ['CASE', 'DATASET', 'STATUS', 'OBJECTS', 'BYTES', 'FROM', 'TO', 'CREATED', 'RELEASED'],
      cases.map((c) => [
        c.caseId,
        c.dataset,
        c.status,
        c.objectCount,
        formatBytes(c.bytes),
        c.scope.from,
        c.scope.to,
        c.createdAt,
        c.releasedAt,
      ]),
    ),
  );
}

function printCase(view: CaseStatusView): void {
  const c = view.case;
  const filters = Object.entries(c.scope.filters)
    .map(([k, v]) => `${k}=${(v as string[]).join(',')}`)
    .join(' ');
  console.log(
    [
      `case:      ${c.caseId} (${c.dataset}), ${c.status}`,
      `scope:     ${c.scope.from} .. ${c.scope.to}${filters ? ` ${filters}` : ''}`,
      `reason:    ${c.reason} (ticket ${c.ticket}, by ${c.requester})`,
      `held:      ${c.objectCount} object versions, ${formatBytes(c.bytes)}` +
        (c.recordCount !== undefined ? `, ${c.recordCount} records` : ''),
      ...(c.releasedAt ? [`released:  ${c.releasedAt}`] : []),
      ...(c.deletedVersions !== undefined
        ? [`deleted:   ${c.deletedVersions} extract versions`]
        : []),
      '',
      renderTable(
        ['AT', 'EVENT', 'BY', 'DETAILS'],
        view.audit.map((e) => [e.at, e.event, e.actor, JSON.stringify(e.details)]),
      ),
    ].join('\n'),
  );
}

export const holdCommand: Command = {
  name: 'hold',
  summary: 'apply, release, list and show legal holds (cases)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        ticket: { type: 'string' },
        requester: { type: 'string' },
        account: { type: 'string', multiple: true },
        ip: { type: 'string', multiple: true },
        serial: { type: 'string', multiple: true },
        domain: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        local: { type: 'boolean', default: false },
        stage: { type: 'string', default: 'dev' },
      },
    });
    const [action, caseId, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const needsCase = action === 'apply' || action === 'release' || action === 'show';
    if (!['apply', 'release', 'list', 'show'].includes(action ?? ''))
      throw new UsageError('expected apply, release, list or show');
    if (needsCase && !caseId) throw new UsageError(`${action} needs a CASE id`);
    if (action === 'list' && caseId) throw new UsageError('list takes no CASE id');
    const stage = values.stage;
    const region = process.env.AWS_REGION ?? loadStageConfig(stage).region;
    const requester = values.requester ?? process.env.USER ?? 'unknown';
    const progress = values.json ? () => undefined : progressBar();
    const send = values.local
      ? await localTransport(stage, region, progress)
      : lambdaTransport(stage, region);

    const rejected = (response: HoldResponse<unknown>) => {
      if (response.ok) return false;
      console.error(`logvault hold: rejected: ${response.rejected}`);
      return true;
    };

    if (action === 'list' || action === 'show') {
      const response = await send('status', action === 'list' ? { list: true } : { caseId });
      if (rejected(response)) return ExitCode.findings;
      const result = (response as { result: CaseStatusView | { cases: CaseRecord[] } }).result;
      if (values.json) console.log(JSON.stringify(result, null, 2));
      else if ('cases' in result) printCases(result.cases);
      else printCase(result);
      return ExitCode.ok;
    }

    const event =
      action === 'apply'
        ? {
            case: {
              caseId,
              dataset: values.dataset,
              scope: {
                from: values.from,
                to: values.to,
                filters: {
                  accountIds: values.account,
                  ips: values.ip,
                  serials: values.serial,
                  domains: values.domain,
                },
              },
              reason: values.reason,
              ticket: values.ticket,
              requester,
            },
            dryRun: values['dry-run'],
          }
        : { caseId, requester, reason: values.reason, dryRun: values['dry-run'] };
    // A function stops before its timeout and answers in-progress: invoke again until done.
    let lastMessage: string | undefined;
    for (;;) {
      const response = await send(action as Op, JSON.parse(JSON.stringify(event)));
      if (rejected(response)) return ExitCode.findings;
      const outcome = (response as { result: HoldOutcome }).result;
      if (outcome.result === 'in-progress') {
        if (!values.json) progress(outcome.processed, outcome.objectCount);
        // An S3 Batch Operations job runs on its own: say which once, then poll at its pace.
        if (outcome.retryAfterSeconds !== undefined) {
          if (!values.json && outcome.message !== lastMessage) console.error(outcome.message);
          lastMessage = outcome.message;
          await new Promise((r) => setTimeout(r, outcome.retryAfterSeconds! * 1000));
        }
        continue;
      }
      if (values.json) console.log(JSON.stringify(outcome, null, 2));
      else printOutcome(action!, outcome);
      return outcome.failures.length > 0 ? ExitCode.findings : ExitCode.ok;
    }
  },
};
