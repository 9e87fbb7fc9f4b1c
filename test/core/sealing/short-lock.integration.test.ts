import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeDigests } from '../../../core/sealing/digest';
import { addHours, hourOf } from '../../../core/sealing/keys';
import { LockPolicy } from '../../../core/sealing/lock-policy';
import { sealPending } from '../../../core/sealing/seal';
import { verifyArchive } from '../../../core/sealing/verify';
import { lockFindings } from '../../../core/sealing/verify/locks';
import { DAY_MS } from '../../../core/time/units';
import { landObject, sealingFixture } from './fixture';

// The stage's lock in this test: 30 days GOVERNANCE (moto keeps the bucket removable).
const STAGE_LOCK: LockPolicy = { mode: 'GOVERNANCE', days: 30 };

describe('verify compares every archived version with the stage lock', () => {
  it('reports an object planted with a 1-day GOVERNANCE lock and one sealed with a lowered lock, not the honest one', async () => {
    const f = await sealingFixture();
    const honest = await landObject(f, '{"n":"honest"}\n');
    await sealPending({ ...f.seal, lock: STAGE_LOCK });
    // An insider lowers the sealer's lock setting: the digest faithfully records the short date.
    const lowered = await landObject(f, '{"n":"lowered"}\n');
    await sealPending({ ...f.seal, lock: { mode: 'GOVERNANCE', days: 1 } });
    // A requester with s3:PutObject writes straight into the archive with a 1-day lock.
    const planted = honest.replace(/[^/]*$/, 'planted.ndjson');
    await f.clients.s3.send(
      new PutObjectCommand({
        Bucket: f.archive,
        Key: planted,
        Body: '{"n":"planted"}\n',
        ObjectLockMode: 'GOVERNANCE',
        ObjectLockRetainUntilDate: new Date(Date.now() + DAY_MS),
      }),
    );
    const through = hourOf(new Date());
    await writeDigests(
      { ...f.digest, lock: STAGE_LOCK },
      { through, genesis: addHours(through, -1) },
    );

    const report = await verifyArchive(
      { ...f.verify, lock: STAGE_LOCK },
      { from: addHours(through, -1), to: through },
    );

    const shortLocks = report.findings.filter((x) => x.kind === 'short-lock');
    expect(shortLocks.map((x) => x.key).sort()).toEqual([lowered, planted].sort());
    expect(shortLocks.every((x) => /locked until .*stage requires/.test(x.detail))).toBe(true);
    expect(report.findings.filter((x) => x.key === honest)).toEqual([]);
    // Without the stage lock, the lowered seal is invisible: its digest agrees with it.
    const blind = await verifyArchive(f.verify, { from: addHours(through, -1), to: through });
    expect(blind.findings.filter((x) => x.key === lowered)).toEqual([]);
  });

  it('reports the wrong mode even when the date is long enough', () => {
    const written = new Date('2028-02-29T10:00:00Z');
    const prod: LockPolicy = { mode: 'COMPLIANCE', days: 2556, years: 7 };
    const version = { key: 'acme/x', versionId: 'v1', written };
    expect(
      lockFindings(prod, version, {
        mode: 'GOVERNANCE',
        retainUntil: new Date('2035-03-01T10:00:00Z'),
      }).map((x) => x.detail),
    ).toEqual(['mode GOVERNANCE, stage requires COMPLIANCE']);
    // 7 x 365 days from 29 Feb 2028 ends on 27 Feb 2035: two days short of seven years.
    expect(
      lockFindings(prod, version, {
        mode: 'COMPLIANCE',
        retainUntil: new Date(written.getTime() + 7 * 365 * DAY_MS),
      }),
    ).toHaveLength(1);
    expect(
      lockFindings(prod, version, {
        mode: 'COMPLIANCE',
        retainUntil: new Date('2035-03-01T09:59:00Z'),
      }),
    ).toEqual([]);
  });
});
