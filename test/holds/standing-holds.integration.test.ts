import { PutObjectCommand } from '@aws-sdk/client-s3';
import { applyHold, holdStatus, releaseHold } from '../../core/holds';
import type { CaseStatusView } from '../../core/holds/status';
import type { CaseRequest } from '../../core/holds/case';
import type { HoldStep } from '../../core/holds/deps';
import { findOrphans } from '../../core/holds/orphans';
import { objectRef } from '../../core/holds/registry';
import { holdSealedVersion, type StandingDeps } from '../../core/holds/standing';
import { sealObject } from '../../core/sealing/seal';
import { hourPath } from '../../core/time/hours';
import { HOUR_MS } from '../../core/time/units';
import { acmeRecord } from '../core/sealing/fixture';
import { HoldFixture, archiveLegalHold, coveringCaseNames, loadHoldFixture } from './hold-fixture';

/**
 * Standing holds (issue 15): a case whose `--to` is in the future holds what
 * sealing archives into its scope while it is open. Each object here goes
 * the seal function's way: landing -> `sealObject` -> `holdSealedVersion`
 * (lambdas/seal/index.ts makes exactly these two calls). The flags are read
 * back from the stand-in, never taken from the functions' answers.
 */
const THIS_HOUR = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();
const event = (ts: number, account: string) => JSON.stringify(acmeRecord(account, new Date(ts)));

const request = (caseId: string, filters: CaseRequest['scope']['filters'] = {}): CaseRequest => ({
  caseId,
  dataset: 'acme',
  // Started an hour ago, ends three hours from now: most of it has not arrived yet.
  scope: { from: iso(THIS_HOUR - HOUR_MS), to: iso(THIS_HOUR + 3 * HOUR_MS), filters },
  reason: 'standing hold',
  ticket: 'LEGAL-77',
  requester: 'oncall@example.com',
});

describe('standing holds: sealing holds what arrives in an open case scope', () => {
  let f: HoldFixture;
  let standing: StandingDeps;
  let serial = 0;

  /** Firehose delivers an object filed under `hour`; the seal function archives it. */
  const deliverAndSeal = async (
    hour: number,
    account: string,
    deps = standing,
    body = `${event(hour + 60_000, account)}\n`,
  ) => {
    const key = `acme/${hourPath(new Date(hour))}/logvault-dev-acme-1-standing-${serial++}`;
    await f.clients.s3.send(new PutObjectCommand({ Bucket: f.landing, Key: key, Body: body }));
    const ctx = { s3: f.clients.s3, landingBucket: f.landing, archiveBucket: f.archive };
    const sealed = await sealObject({ ...ctx, lock: { mode: 'GOVERNANCE', days: 1 } }, key);
    expect(sealed.status).toBe('sealed');
    const held = await holdSealedVersion(deps, f.archive, sealed);
    return { key, versionId: sealed.versionId!, size: sealed.size!, heldFor: held.heldFor };
  };
  const flag = async (o: { key: string; versionId: string }) =>
    (await archiveLegalHold(f, o)) ?? 'OFF';
  const release = (caseId: string) =>
    releaseHold(f.deps, {
      caseId,
      requester: 'oncall@example.com',
      reason: 'closed',
      dryRun: false,
    });

  beforeAll(async () => {
    f = await loadHoldFixture();
    standing = {
      s3: f.deps.s3,
      registry: f.deps.registry,
      caseKeys: f.deps.caseKeys,
      now: f.deps.now,
    };
  }, 240_000);

  it('holds a version sealed later inside an open case scope, by its filters, and records it', async () => {
    for (const c of [request('STAND-1'), request('STAND-F', { accountIds: ['acct-1'] })])
      expect(await applyHold(f.deps, { case: c, dryRun: false })).toMatchObject({
        result: 'complete',
        objectCount: 0,
      });
    const matching = await deliverAndSeal(THIS_HOUR, 'acct-1');
    const otherAccount = await deliverAndSeal(THIS_HOUR, 'acct-2');
    const beforeScope = await deliverAndSeal(THIS_HOUR - 5 * HOUR_MS, 'acct-1');

    expect(await flag(matching)).toBe('ON');
    expect(await coveringCaseNames(f, matching)).toBe('STAND-1 STAND-F');
    expect(await flag(otherAccount)).toBe('ON');
    expect(await coveringCaseNames(f, otherAccount)).toBe('STAND-1');
    expect(await flag(beforeScope)).toBe('OFF');
    expect(beforeScope.heldFor).toEqual([]);
    // Quarantined (not an ACME event): kept under quarantine/, judged by no scope, not held.
    const quarantined = await deliverAndSeal(THIS_HOUR, 'acct-1', standing, '{"n":1}\n');
    expect(quarantined.heldFor).toEqual([]);
    const ref = objectRef({ bucket: f.archive, ...matching });
    const trail = (await f.deps.registry.auditTrail('STAND-F')).map((e) => e.event);
    expect(trail).toContain(`standing-held:${ref}`);
    expect((await f.deps.registry.memberships('STAND-F')).map((m) => [m.key, m.state])).toEqual([
      [matching.key, 'held'],
    ]);

    // `hold show` counts them: the stored total is the apply's (0).
    const shown = (await holdStatus(f.deps, { caseId: 'STAND-1' })) as CaseStatusView;
    expect([shown.case.objectCount, shown.memberships?.held]).toEqual([0, 2]);

    // Release lifts what only that case held; the other case keeps its own.
    await release('STAND-1');
    expect(await flag(otherAccount)).toBe('OFF');
    expect(await flag(matching)).toBe('ON');
    await release('STAND-F');
    expect(await flag(matching)).toBe('OFF');
    // Once released, nothing new is held for either case.
    const afterRelease = await deliverAndSeal(THIS_HOUR + HOUR_MS, 'acct-1');
    expect(afterRelease.heldFor).toEqual([]);
    expect(await flag(afterRelease)).toBe('OFF');
  }, 120_000);

  it.each<HoldStep>(['after-registry-change', 'before-coverage-read', 'before-flag-write'])(
    'a release racing a seal paused at %s leaves no hold and no membership',
    async (pauseAt) => {
      const caseId = `STAND-RACE-${pauseAt.toUpperCase()}`;
      await applyHold(f.deps, { case: request(caseId), dryRun: false });
      let paused!: () => void;
      let releaseDone!: () => void;
      const reachedPause = new Promise<void>((resolve) => (paused = resolve));
      const releaseFinished = new Promise<void>((resolve) => (releaseDone = resolve));
      // Injected delay (a quiet stand-in never interleaves on its own): the seal
      // stops at `pauseAt` of its hold step (once) while the release runs to its end.
      let pauses = 0;
      const slowSeal: StandingDeps = {
        ...standing,
        betweenSteps: async (step) => {
          if (step !== pauseAt || pauses++ > 0) return;
          paused();
          await releaseFinished;
        },
      };
      const sealing = deliverAndSeal(THIS_HOUR + HOUR_MS, 'acct-1', slowSeal);
      await reachedPause;
      const released = await release(caseId);
      releaseDone();
      const sealed = await sealing;

      expect(released).toMatchObject({ result: 'complete' });
      expect(sealed.heldFor).toEqual([]);
      expect(await coveringCaseNames(f, sealed)).toBeUndefined();
      expect(await flag(sealed)).toBe('OFF');
      expect(await f.deps.registry.memberships(caseId)).toEqual([]);
    },
    60_000,
  );

  it('a seal after a release has begun records nothing for the case', async () => {
    await applyHold(f.deps, { case: request('STAND-LATE'), dryRun: false });
    await f.deps.registry.updateCase('STAND-LATE', ['active'], 'releasing');
    const sealed = await deliverAndSeal(THIS_HOUR, 'acct-1');
    expect(sealed.heldFor).toEqual([]);
    expect(await flag(sealed)).toBe('OFF');
    expect(await release('STAND-LATE')).toMatchObject({ result: 'complete' });
  }, 60_000);

  it('leaves no orphan behind: every flag equals its coverage', async () => {
    const orphans = await findOrphans(f.deps);
    expect(orphans.heldUncovered).toEqual([]);
    expect(orphans.coveredNotHeld).toEqual([]);
  }, 60_000);
});
