import { renderTable } from '../format/table';
import type { SmokeReport } from './run';

/** The report as a terminal table: checks, what the account answered, then the cleanup. */
export function renderSmoke(report: SmokeReport): string {
  const checks = renderTable(
    ['CHECK', 'RESULT', 'SECONDS', 'DETAIL'],
    report.results.map((r) => [r.check, r.status.toUpperCase(), r.seconds.toFixed(1), r.detail]),
  );
  const observed = report.results.flatMap((r) =>
    Object.entries(r.observed ?? {}).map(([question, answer]) => [question, answer]),
  );
  const cleanup = renderTable(
    ['CANARY RESOURCE', 'CLEANUP', 'DETAIL'],
    report.cleanup.map((c) => [c.what, c.outcome, c.detail ?? '']),
  );
  return [
    `logvault smoke: stage ${report.stage} on ${report.target === 'aws' ? 'AWS' : 'the stand-ins'}, run ${report.runId}`,
    '',
    checks,
    ...(observed.length > 0 ? ['', renderTable(['ACCOUNT QUESTION', 'OBSERVED'], observed)] : []),
    '',
    cleanup,
    '',
    report.exitCode === 0
      ? 'smoke: every check passed or was skipped with its reason'
      : 'smoke: FAILED',
  ].join('\n');
}
