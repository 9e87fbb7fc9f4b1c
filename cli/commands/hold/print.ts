import type { CaseRecord } from '../../../core/holds/case';
import type { CaseStatusView, HoldOutcome } from '../../../core/holds';
import { humanBytes } from '../../../core/format/bytes';
import { renderTable } from '../../../core/format/table';

/** What `logvault hold` prints: progress, outcomes, the case list and one case. */

/** A one-line progress bar on stderr, only on a terminal. */
export function progressBar(): (done: number, total: number) => void {
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

export function printOutcome(op: string, o: HoldOutcome): void {
  const what =
    o.result === 'dry-run'
      ? `would ${op}`
      : o.result === 'complete'
        ? `${op} complete`
        : `${op} ${o.result}`;
  const records = o.recordCount !== undefined ? `, ${o.recordCount} records` : '';
  console.log(
    `${o.caseId}: ${what}: ${o.objectCount} object versions, ${humanBytes(o.bytes)}${records}` +
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

export function printCases(cases: CaseRecord[]): void {
  console.log(
    renderTable(
      ['CASE', 'DATASET', 'STATUS', 'OBJECTS', 'BYTES', 'FROM', 'TO', 'CREATED', 'RELEASED'],
      cases.map((c) => [
        c.caseId,
        c.dataset,
        c.status,
        c.objectCount,
        humanBytes(c.bytes),
        c.scope.from,
        c.scope.to,
        c.createdAt,
        c.releasedAt,
      ]),
    ),
  );
}

export function printCase(view: CaseStatusView): void {
  const c = view.case;
  // A case's filters identify people: the registry keeps them sealed under the
  // case's data key (docs/holds.md, "Forgetting a case"), so show only that.
  const filters = c.sealedFilters
    ? '(filters sealed under the case key)'
    : Object.entries(c.scope.filters)
        .map(([k, v]) => `${k}=${(v as string[]).join(',')}`)
        .join(' ');
  console.log(
    [
      `case:      ${c.caseId} (${c.dataset}), ${c.status}`,
      `scope:     ${c.scope.from} .. ${c.scope.to}${filters ? ` ${filters}` : ''}`,
      `reason:    ${c.reason} (ticket ${c.ticket}, by ${c.requester})`,
      heldLine(view),
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

/** Stored totals once a step completed; while one runs, what the registry counts now. */
function heldLine(view: CaseStatusView): string {
  const c = view.case;
  const records = c.recordCount !== undefined ? `, ${c.recordCount} records` : '';
  const m = view.memberships;
  if (!m) return `held:      ${c.objectCount} object versions, ${humanBytes(c.bytes)}${records}`;
  if (c.status === 'active') {
    const standing = m.held - c.objectCount;
    const since = standing > 0 ? ` (${standing} sealed into the scope since the apply)` : '';
    return `held:      ${m.held} object versions, ${humanBytes(m.heldBytes)}${since}`;
  }
  return (
    `held:      ${m.held} object versions so far, ${humanBytes(m.heldBytes)}${records} ` +
    `(${c.status}: ${m.pending} pending, ${m.releasing} releasing)`
  );
}
