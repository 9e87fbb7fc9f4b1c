import { renderTable } from '../format/table';
import type { AuditRow } from './stage-audit';

export interface AuditReport {
  readonly mode: 'template' | 'live';
  readonly stage: string;
  readonly rows: AuditRow[];
}

export function renderAudit(report: AuditReport): string {
  const failed = report.rows.filter((r) => r.verdict === 'FAIL').length;
  return [
    renderTable(
      ['PROMISE', 'MECHANISM', 'EVIDENCE', 'VERDICT'],
      report.rows.map((r) => [r.promise, r.mechanism, r.evidence, r.verdict]),
    ),
    '',
    `${report.mode} audit of stage ${report.stage}: ${report.rows.length - failed} PASS, ${failed} FAIL`,
  ].join('\n');
}
