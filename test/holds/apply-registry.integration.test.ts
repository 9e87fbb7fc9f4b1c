import type { CaseRequest } from '../../core/holds/case';
import { applyHold, holdStatus, releaseHold } from '../../core/holds';
import type { CaseStatusView } from '../../core/holds';
import { printCase } from '../../cli/commands/hold/print';
import { HoldFixture, archiveLegalHold, loadHoldFixture, putVersion } from './hold-fixture';

/**
 * Issue 15's smaller items on the stand-ins: a dry run that reads the
 * registry, a re-apply with a new reason or ticket refused naming the field,
 * and `show` counting held versions while a case is still applying.
 */

const request = (caseId: string, from: string, to: string, extra: Partial<CaseRequest> = {}) => ({
  case: {
    caseId,
    dataset: 'acme' as const,
    scope: { from, to, filters: {} },
    reason: 'subpoena 2026-21',
    ticket: 'LEGAL-21',
    requester: 'oncall@example.com',
    ...extra,
  },
  dryRun: false,
});

describe('apply dry run, re-apply and show, read from the registry', () => {
  let f: HoldFixture;
  /** Two versions in each hour 10..13 of 2026-11-19. */
  const byHour = new Map<number, { key: string; versionId: string }[]>();

  beforeAll(async () => {
    f = await loadHoldFixture();
    for (let hour = 10; hour <= 13; hour++) {
      const versions = [];
      for (const n of [0, 1]) {
        const key = `acme/2026/11/19/${hour}/logvault-dev-acme-1-${n}`;
        versions.push({ key, versionId: await putVersion(f, f.archive, key, `{"n":${n}}\n`) });
      }
      byHour.set(hour, versions);
    }
  }, 240_000);

  it('dry run says what is already held by which case and what it would newly hold', async () => {
    await applyHold(f.deps, request('REG-A', '2026-11-19T10:00:00Z', '2026-11-19T12:00:00Z'));
    await applyHold(f.deps, request('REG-B', '2026-11-19T11:00:00Z', '2026-11-19T12:00:00Z'));
    const dry = await applyHold(f.deps, {
      ...request('REG-C', '2026-11-19T11:00:00Z', '2026-11-19T14:00:00Z'),
      dryRun: true,
    });
    expect(dry).toMatchObject({
      result: 'dry-run',
      objectCount: 6,
      newlyHeld: 4,
      alreadyHeldBy: { 'REG-A': 2, 'REG-B': 2 },
    });
    expect(dry.message).toMatch(/2 of them already held, by REG-A \(2\), REG-B \(2\); 4 would/);
    expect(await f.deps.registry.getCase('REG-C')).toBeUndefined();
    for (const o of byHour.get(13)!) expect(await archiveLegalHold(f, o)).not.toBe('ON');
  });

  it('dry run of a released id is refused as the apply would be, not counted', async () => {
    await applyHold(f.deps, request('REG-R', '2026-11-19T12:00:00Z', '2026-11-19T13:00:00Z'));
    await releaseHold(f.deps, {
      caseId: 'REG-R',
      requester: 'oncall@example.com',
      reason: 'closed',
      dryRun: false,
    });
    const dry = {
      ...request('REG-R', '2026-11-19T12:00:00Z', '2026-11-19T13:00:00Z'),
      dryRun: true,
    };
    await expect(applyHold(f.deps, dry)).rejects.toThrow(/REG-R is released/);
    const otherScope = { ...dry, case: { ...dry.case, caseId: 'REG-A' } };
    await expect(applyHold(f.deps, otherScope)).rejects.toThrow(/another dataset or scope/);
    // A released case is refused for being released whatever the scope: its
    // data key is destroyed at release, so its keyed fingerprint cannot be compared.
    const ocsp = { ...dry, case: { ...dry.case, dataset: 'ocsp' as const } };
    await expect(applyHold(f.deps, ocsp)).rejects.toThrow(/REG-R is released/);
  });

  it('refuses a same-scope re-apply with a new reason or ticket, naming the field', async () => {
    const same = request('REG-A', '2026-11-19T10:00:00Z', '2026-11-19T12:00:00Z');
    const trail = async () =>
      ((await holdStatus(f.deps, { caseId: 'REG-A' })) as CaseStatusView).audit;
    const before = await trail();
    await expect(
      applyHold(f.deps, { ...same, case: { ...same.case, reason: 'second subpoena 2026-30' } }),
    ).rejects.toThrow(/this request's reason differs.*same --reason and --ticket/);
    await expect(
      applyHold(f.deps, { ...same, case: { ...same.case, ticket: 'LEGAL-30' } }),
    ).rejects.toThrow(/ticket LEGAL-21 .*this request's ticket differs/);
    await expect(
      applyHold(f.deps, {
        ...same,
        dryRun: true,
        case: { ...same.case, ticket: 'LEGAL-30', reason: 'other' },
      }),
    ).rejects.toThrow(/reason and ticket differ/);
    // Another engineer finishing the same request is a resume, not a change.
    const rerun = await applyHold(f.deps, {
      ...same,
      case: { ...same.case, requester: 'bob@example.com' },
    });
    expect(rerun).toMatchObject({ result: 'complete', objectCount: 4 });
    const record = await f.deps.registry.getCase('REG-A');
    expect(record).toMatchObject({ reason: 'subpoena 2026-21', ticket: 'LEGAL-21' });
    expect(await trail()).toEqual(before);
  });

  it('show on a case that is still applying counts the versions held so far', async () => {
    // Injected fault: the run is stopped after 3 versions, as a Lambda timeout or crash would.
    await expect(
      applyHold(
        {
          ...f.deps,
          concurrency: 1,
          afterObject: (done) => {
            if (done === 3) throw new Error('injected crash');
          },
        },
        request('REG-S', '2026-11-19T10:00:00Z', '2026-11-19T13:00:00Z'),
      ),
    ).rejects.toThrow('injected crash');
    const view = (await holdStatus(f.deps, { caseId: 'REG-S' })) as CaseStatusView;
    expect(view.case.status).toBe('applying');
    expect(view.memberships).toMatchObject({ held: 3, pending: 3, releasing: 0 });
    expect(view.memberships!.heldBytes).toBe(3 * 8);
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((t) => void printed.push(t));
    try {
      printCase(view);
    } finally {
      log.mockRestore();
    }
    expect(printed.join('\n')).toMatch(
      /held:\s+3 object versions so far, 24 B \(applying: 3 pending, 0 releasing\)/,
    );
    const done = await applyHold(
      f.deps,
      request('REG-S', '2026-11-19T10:00:00Z', '2026-11-19T13:00:00Z'),
    );
    expect(done).toMatchObject({ result: 'complete', objectCount: 6 });
    const after = (await holdStatus(f.deps, { caseId: 'REG-S' })) as CaseStatusView;
    // Active ACME cases are counted too: sealing may add standing holds after the apply.
    expect(after.memberships).toMatchObject({ held: 6, pending: 0, releasing: 0 });
    expect(after.case.objectCount).toBe(6);
  });
});
