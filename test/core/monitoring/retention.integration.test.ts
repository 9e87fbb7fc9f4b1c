import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { measureRetention } from '../../../core/monitoring/retention';
import { uniqueSuffix, useStandins } from '../../support/standins';

/**
 * moto stamps objects with the current time and cannot backdate them, so the
 * monitor is asked what it would report a week from now: same listing code,
 * the clock passed in.
 */
describe('retention monitor on the stand-in', () => {
  const { s3 } = useStandins();
  const suffix = uniqueSuffix();
  const raw = `retention-raw-${suffix}`;
  const investigations = `retention-inv-${suffix}`;
  const put = (Bucket: string, Key: string) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }));

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: raw }));
    await s3.send(
      new CreateBucketCommand({ Bucket: investigations, ObjectLockEnabledForBucket: true }),
    );
    for (const hour of ['00', '01', '02']) await put(raw, `ocsp/2026/11/28/${hour}/part`);
    await put(investigations, 'cases/CASE-OPEN/part-0');
    await put(investigations, 'cases/CASE-CLOSED/part-0');
    await put(investigations, 'cases/CASE-CLOSED/part-1');
  });

  it('reports the age of the oldest copy and extracts of closed cases', async () => {
    const weekLater = new Date(Date.now() + 7 * 24 * 3_600_000);
    const data = await measureRetention(s3, {
      watched: [{ place: 'ocsp-raw', bucket: raw }],
      investigationsBucket: investigations,
      openCaseIds: async () => new Set(['CASE-OPEN']),
      orphanCount: async () => 3,
      now: weekLater,
    });
    const age = data.find((d) => d.metric === 'oldestObjectAgeHours')!;
    expect(age.place).toBe('ocsp-raw');
    expect(age.value).toBeGreaterThan(167.9);
    expect(age.value).toBeLessThan(168.5);
    expect(data.find((d) => d.metric === 'closedCaseExtractObjects')!.value).toBe(2);
    expect(data.find((d) => d.metric === 'openCases')!.value).toBe(1);
    expect(data.find((d) => d.metric === 'orphanedHolds')!.value).toBe(3);
  });

  it('reports zero for an empty bucket and when every extract belongs to an open case', async () => {
    const empty = `retention-empty-${suffix}`;
    await s3.send(new CreateBucketCommand({ Bucket: empty }));
    const data = await measureRetention(s3, {
      watched: [{ place: 'query-results', bucket: empty, versioned: true }],
      investigationsBucket: investigations,
      openCaseIds: async () => new Set(['CASE-OPEN', 'CASE-CLOSED']),
      orphanCount: async () => 0,
      now: new Date(),
    });
    expect(data.map((d) => d.value)).toEqual([0, 0, 2, 0]);
  });
});
