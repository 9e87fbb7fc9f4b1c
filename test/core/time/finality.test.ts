import {
  afterFinalScanHours,
  dayWindow,
  isFinal,
  latestFinalDay,
  partitionRange,
} from '../../../core/time/finality';

describe('when a day is final', () => {
  it('counts records arriving until a full day after the day ends; final a buffer later', () => {
    expect(dayWindow('2026-11-30')).toEqual({
      firstHour: '2026/11/29/23',
      lastHour: '2026/12/01/23',
      arrivedBefore: new Date('2026-12-02T00:00:00.000Z'),
      finalAt: new Date('2026-12-02T00:15:00.000Z'),
    });
  });

  it('gives the named queries and the daily job the same partitions, across month ends', () => {
    expect(partitionRange('2026-11-30')).toEqual({ first: '2026/11/29/23', last: '2026/12/01/23' });
  });

  it('is final from D+2 00:15 UTC on, not a millisecond before', () => {
    expect(isFinal('2026-11-30', new Date('2026-12-02T00:14:59.999Z'))).toBe(false);
    expect(isFinal('2026-11-30', new Date('2026-12-02T00:15:00.000Z'))).toBe(true);
    expect(latestFinalDay(new Date('2026-12-02T00:14:59.999Z'))).toBe('2026-11-29');
    expect(latestFinalDay(new Date('2026-12-02T03:15:00.000Z'))).toBe('2026-11-30');
  });

  it('scans disjoint arrival hours for records after final on consecutive days', () => {
    const a = afterFinalScanHours('2026-11-29');
    const b = afterFinalScanHours('2026-11-30');
    expect(a).toEqual({ first: '2026/11/30/00', last: '2026/11/30/23' });
    expect(b).toEqual({ first: '2026/12/01/00', last: '2026/12/01/23' });
  });
});
