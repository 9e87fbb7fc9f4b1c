import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { loadStageConfig } from '../../../core/config/load-stage-config';
import { lockOf } from '../../../core/env/sealing';
import { retainUntil, stageLockPolicy } from '../../../core/sealing/lock-policy';
import { sealObject } from '../../../core/sealing/seal';
import { DAY_MS } from '../../../core/time/units';
import { landObject, sealingFixture } from './fixture';

// A 7-year stage as prod configures it, in GOVERNANCE so moto's bucket stays removable.
const SEVEN_YEARS = { ...stageLockPolicy(loadStageConfig('prod')), mode: 'GOVERNANCE' as const };

describe('sealing locks for calendar years where the stage says years', () => {
  it('reads prod as 7 calendar years of at least 2556 days, and the env contract keeps the years', () => {
    expect(stageLockPolicy(loadStageConfig('prod'))).toEqual({
      mode: 'COMPLIANCE',
      days: 7 * 365 + 1,
      years: 7,
    });
    expect(stageLockPolicy(loadStageConfig('dev'))).toEqual({ mode: 'GOVERNANCE', days: 1 });
    expect(lockOf({ LOCK_MODE: 'COMPLIANCE', LOCK_DAYS: 2556, LOCK_YEARS: 7 })).toEqual({
      mode: 'COMPLIANCE',
      days: 2556,
      years: 7,
    });
  });

  it.each([
    // 2028-02-29 has no anniversary in 2035: the lock runs to 1 March, never to 28 February.
    ['2028-02-29T10:15:00.000Z', '2035-03-01T10:15:00.000Z', 2557],
    ['2027-03-01T00:00:00.000Z', '2034-03-01T00:00:00.000Z', 2557],
    ['2025-01-01T23:59:59.000Z', '2032-01-01T23:59:59.000Z', 2556],
  ])('sealed at %s stays locked until %s (%i days, more than 7 x 365)', async (at, until, days) => {
    const f = await sealingFixture();
    const key = await landObject(f, 'leap-year boundary\n', new Date(at));
    const now = new Date(at);

    const outcome = await sealObject({ ...f.seal, lock: SEVEN_YEARS, now: () => now }, key);

    expect(outcome.status).toBe('sealed');
    const head = await f.clients.s3.send(new HeadObjectCommand({ Bucket: f.archive, Key: key }));
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(until);
    expect(retainUntil(SEVEN_YEARS, now).toISOString()).toBe(until);
    expect((head.ObjectLockRetainUntilDate!.getTime() - now.getTime()) / DAY_MS).toBe(days);
    // The old 365-day arithmetic ended the lock one or two days before the 7th anniversary.
    expect(now.getTime() + 7 * 365 * DAY_MS).toBeLessThan(
      head.ObjectLockRetainUntilDate!.getTime(),
    );
  });
});
