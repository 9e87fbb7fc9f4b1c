import { AuditReport, renderAudit } from '../../../core/audit/report';
import { SCENARIO_ACCOUNT, SCENARIO_REGION, ScenarioContext, logvault } from '../context';

/** `logvault audit --json` (exit 1 is a FAIL, not a crash), printed as the command prints it. */
async function audit(ctx: ScenarioContext, mode: string[]): Promise<AuditReport> {
  const args = ['audit', ...mode, '--stage', ctx.options.stage, '--json'];
  const report = JSON.parse(await logvault(args, {}, [1])) as AuditReport;
  ctx.options.print(renderAudit(report));
  return report;
}

/** Step 6: the privacy audit of the template and of the stage on the stand-ins. */
export async function runPrivacyAudit(ctx: ScenarioContext): Promise<string> {
  const template = await audit(ctx, ['--template']);
  ctx.options.print('');
  const live = await audit(ctx, [
    '--live',
    '--account',
    SCENARIO_ACCOUNT,
    '--region',
    SCENARIO_REGION,
  ]);
  const failed = (report: AuditReport) => report.rows.filter((r) => r.verdict === 'FAIL').length;
  ctx.check('the template audit passes every promise', failed(template) === 0);
  const standInGap = (r: AuditReport['rows'][number]) =>
    r.promise.startsWith('Every bucket is encrypted') &&
    r.evidence.split('; ').every((e) => e.endsWith('no TLS-only bucket policy'));
  ctx.check(
    'the live audit passes every promise but the TLS-only Deny, which moto cannot hold (see the load report)',
    live.rows.filter((r) => r.verdict === 'FAIL').every(standInGap),
  );
  ctx.facts.audit = { template: template.rows, live: live.rows };
  return `template: ${failed(template)} FAIL of ${template.rows.length}; live: ${failed(live)} FAIL of ${live.rows.length}`;
}
