import { logTypes } from '../../core/ingest/schemas';
import {
  CANARY_CLIENT_IP,
  CANARY_SERIAL,
  canaryLine,
  canaryTag,
  newRunId,
  onlyCanaryLines,
} from '../../core/smoke/canary';
import { CleanupPlan, cleanupFailed } from '../../core/smoke/cleanup';
import { lastRunVerdict } from '../../core/smoke/checks/retention-monitor';
import { lockShortfall } from '../../core/smoke/lock-headers';
import { fail, pass, settle, skip } from '../../core/smoke/result';
import { smokeExitCode } from '../../core/smoke/run';
import { DAY_MS } from '../../core/time/units';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('smoke results', () => {
  it('turns a check that throws into its own failure, with the error', async () => {
    const result = await settle('streams', async () => {
      throw new TypeError('stream gone');
    });
    expect(result).toMatchObject({
      check: 'streams',
      status: 'fail',
      detail: 'TypeError: stream gone',
    });
  });

  it('exits 0 for passes and reasoned skips, 1 for any failure or anything the cleanup left', () => {
    const r = (v: ReturnType<typeof pass>) => ({ check: 'x', seconds: 0, ...v });
    expect(smokeExitCode([r(pass('ok')), r(skip('moto runs no alarm action'))], [])).toBe(0);
    expect(smokeExitCode([r(pass('ok')), r(fail('no canary'))], [])).toBe(1);
    const kept = { what: 'archive', outcome: 'kept' as const, detail: 'locked' };
    expect(smokeExitCode([r(pass('ok'))], [kept])).toBe(0);
    const left = { what: 'queue', outcome: 'failed' as const, detail: 'AccessDenied' };
    expect(smokeExitCode([r(pass('ok'))], [kept, left])).toBe(1);
    expect(cleanupFailed([left])).toBe(true);
  });
});

describe('the cleanup plan', () => {
  it('undoes in reverse order, goes on after a failure, and says what it kept', async () => {
    const done: string[] = [];
    const plan = new CleanupPlan();
    plan.add('queue', async () => (done.push('queue'), 'removed'));
    plan.add('subscription', async () => {
      throw new Error('AccessDenied');
    });
    plan.add('archive copy', async () => ({ kept: 'locked until 2033' }));
    expect(plan.planned).toEqual(['archive copy', 'subscription', 'queue']);
    expect(await plan.run()).toEqual([
      { what: 'archive copy', outcome: 'kept', detail: 'locked until 2033' },
      { what: 'subscription', outcome: 'failed', detail: 'AccessDenied' },
      { what: 'queue', outcome: 'removed' },
    ]);
    expect(done).toEqual(['queue']);
  });

  it('can run again: an undo that finds its resource gone reports already-gone', async () => {
    let exists = true;
    const plan = new CleanupPlan();
    plan.add('alarm', async () => {
      if (!exists) return 'already-gone';
      exists = false;
      return 'removed';
    });
    expect((await plan.run())[0]!.outcome).toBe('removed');
    expect((await plan.run())[0]!.outcome).toBe('already-gone');
  });
});

describe('canary data', () => {
  const runId = newRunId();

  it.each(['ocsp', 'acme'] as const)(
    'a %s canary passes the shipper and carries its tag',
    (type) => {
      const line = canaryLine(type, runId, NOW);
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(logTypes[type].record.safeParse(record).success).toBe(true);
      expect(line).toContain(`"${canaryTag(runId)}"`);
      expect(record.line_id).toMatch(/^[0-9a-f]{32}$/);
      if (type === 'ocsp')
        expect(record).toMatchObject({ serial: CANARY_SERIAL, client_ip: CANARY_CLIENT_IP });
      else
        expect(record).toMatchObject({ account_id: canaryTag(runId), source_ip: CANARY_CLIENT_IP });
    },
  );

  it('deletes only objects that hold nothing but canary lines', () => {
    const canary = canaryLine('ocsp', runId, NOW);
    const live = canary.replace(`"${canaryTag(runId)}"`, '"ocsp-eu-1"');
    expect(onlyCanaryLines(canary + canaryLine('ocsp', newRunId(), NOW))).toBe(true);
    expect(onlyCanaryLines(canary + live)).toBe(false);
    expect(onlyCanaryLines('\n')).toBe(false);
  });
});

describe('lock headers of a sealed canary', () => {
  const governance = { mode: 'GOVERNANCE' as const, days: 1 };
  const compliance = { mode: 'COMPLIANCE' as const, days: 2555, years: 7 };

  it('accept the stage mode and a retain-until no earlier than the policy', () => {
    const until = new Date(NOW.getTime() + DAY_MS);
    expect(
      lockShortfall({ mode: 'GOVERNANCE', retainUntil: until }, governance, NOW),
    ).toBeUndefined();
    const sevenYears = new Date('2033-11-30T12:00:00Z');
    expect(
      lockShortfall({ mode: 'COMPLIANCE', retainUntil: sevenYears }, compliance, NOW),
    ).toBeUndefined();
  });

  it('refuse another mode, no lock, or a lock that ends early', () => {
    const until = new Date(NOW.getTime() + DAY_MS);
    expect(lockShortfall({ mode: 'GOVERNANCE', retainUntil: until }, compliance, NOW)).toMatch(
      /lock mode GOVERNANCE, the stage locks with COMPLIANCE/,
    );
    expect(lockShortfall({}, governance, NOW)).toMatch(/lock mode none/);
    const short = new Date('2032-11-30T12:00:00Z');
    expect(lockShortfall({ mode: 'COMPLIANCE', retainUntil: short }, compliance, NOW)).toMatch(
      /retained until 2032-11-30/,
    );
  });
});

describe("the retention monitor's last run", () => {
  const t = (minutes: number) => NOW.getTime() - minutes * 60_000;

  it('is the newest period with an invocation, failed when that period has errors', () => {
    const invocations = new Map([
      [t(65), 1],
      [t(5), 1],
      [t(0), 0],
    ]);
    expect(lastRunVerdict(invocations, new Map([[t(65), 1]]))).toEqual({
      last: new Date(t(5)),
      failed: false,
    });
    expect(lastRunVerdict(invocations, new Map([[t(5), 1]])).failed).toBe(true);
    expect(lastRunVerdict(new Map(), new Map())).toEqual({ failed: false });
  });
});
