import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { applyHold } from '../../core/holds';
import { auditHoldsAgainstRegistry } from '../../core/audit/case-check';
import { ORPHAN_AUDIT_ID, findOrphans, repairOrphans } from '../../core/holds/orphans';
import { objectRef } from '../../core/holds/registry';
import { setLegalHold } from '../../core/holds/s3-objects';
import { HoldFixture, archiveLegalHold, loadHoldFixture, putVersion } from './hold-fixture';

/**
 * Orphans on the stand-ins, made the way code before the coverage design left
 * them: a flag left ON after its case's registry entries were deleted, and a
 * flag turned OFF under an active case (the old release of an overlapping
 * case). The check finds both, a dry run changes nothing, the repair settles
 * both through settleHold and audits each, and a second check finds none.
 */
describe('orphaned legal holds are found and repaired (stand-ins)', () => {
  let f: HoldFixture;
  const key = (hour: string, n: number) => `acme/2026/11/21/${hour}/logvault-dev-acme-${n}`;
  const v = {
    kept: { key: '', versionId: '' },
    stripped: { key: '', versionId: '' },
    orphan: { key: '', versionId: '' },
  };

  const apply = (caseId: string, from: string, to: string) =>
    applyHold(f.deps, {
      case: {
        caseId,
        dataset: 'acme',
        scope: { from, to, filters: {} },
        reason: 'orphan fixture',
        ticket: 'LEGAL-15',
        requester: 'test',
      },
      dryRun: false,
    });

  beforeAll(async () => {
    f = await loadHoldFixture();
    for (const [name, hour, n] of [
      ['kept', '08', 0],
      ['stripped', '08', 1],
      ['orphan', '10', 0],
    ] as const)
      v[name] = {
        key: key(hour, n),
        versionId: await putVersion(f, f.archive, key(hour, n), '{}\n'),
      };
    expect((await apply('CASE-LIVE', '2026-11-21T08:00:00Z', '2026-11-21T09:00:00Z')).result).toBe(
      'complete',
    );
    expect((await apply('CASE-GONE', '2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z')).result).toBe(
      'complete',
    );
    // Old code: the gone case's registry entries deleted, its flag left ON ...
    const db = DynamoDBDocumentClient.from(f.clients.dynamodb);
    const gone = { bucket: f.archive, size: 3, ...v.orphan };
    await f.deps.registry.deleteMembership('CASE-GONE', gone);
    await db.send(
      new DeleteCommand({
        TableName: f.deps.registry.tableName,
        Key: { pk: 'CASE#CASE-GONE', sk: 'META' },
      }),
    );
    // ... and a release of another case turning OFF a version the live case still holds.
    await setLegalHold(f.clients.s3, { bucket: f.archive, size: 3, ...v.stripped }, false);
  }, 240_000);

  const ref = (o: { key: string; versionId: string }) => objectRef({ bucket: f.archive, ...o });

  it('finds both orphans, and the live audit row fails naming them', async () => {
    const found = await findOrphans(f.deps);
    expect(found.heldUncovered.map(objectRef)).toEqual([ref(v.orphan)]);
    expect(found.coveredNotHeld.map((m) => [m.caseId, objectRef(m)])).toEqual([
      ['CASE-LIVE', ref(v.stripped)],
    ]);
    const row = await auditHoldsAgainstRegistry(f.deps);
    expect(row.verdict).toBe('FAIL');
    expect(row.evidence).toContain(ref(v.orphan));
    expect(row.evidence).toContain(ref(v.stripped));
  });

  it('a dry run changes nothing', async () => {
    const outcome = await repairOrphans(f.deps, { dryRun: true, actor: 'on-call' });
    expect(outcome.repaired).toBe(0);
    expect(outcome.heldUncovered.length + outcome.coveredNotHeld.length).toBe(2);
    expect(await archiveLegalHold(f, v.orphan)).toBe('ON');
    expect(await archiveLegalHold(f, v.stripped)).toBe('OFF');
  });

  it('repair settles both, audits each, and a second check finds none', async () => {
    const outcome = await repairOrphans(f.deps, { dryRun: false, actor: 'on-call' });
    expect({ repaired: outcome.repaired, failures: outcome.failures }).toEqual({
      repaired: 2,
      failures: [],
    });
    expect(await archiveLegalHold(f, v.orphan)).toBe('OFF');
    expect(await archiveLegalHold(f, v.stripped)).toBe('ON');
    expect(await archiveLegalHold(f, v.kept)).toBe('ON');

    const live = await f.deps.registry.auditTrail('CASE-LIVE');
    const repairedLive = live.filter((e) => e.event.startsWith('orphan-repaired:'));
    expect(
      repairedLive.map((e) => [e.actor, e.details.was, e.details.legalHold, e.details.key]),
    ).toEqual([['on-call', 'covered-not-held', 'ON', v.stripped.key]]);
    const uncovered = await f.deps.registry.auditTrail(ORPHAN_AUDIT_ID);
    expect(uncovered.map((e) => [e.details.was, e.details.legalHold, e.details.key])).toEqual([
      ['held-uncovered', 'OFF', v.orphan.key],
    ]);

    const again = await findOrphans(f.deps);
    expect(again).toEqual({ heldUncovered: [], coveredNotHeld: [] });
    expect((await auditHoldsAgainstRegistry(f.deps)).verdict).toBe('PASS');
    const rerun = await repairOrphans(f.deps, { dryRun: false, actor: 'on-call' });
    expect(rerun.repaired).toBe(0);
  });
});
