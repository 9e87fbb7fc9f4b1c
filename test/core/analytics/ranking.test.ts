import { CertificateCount, byRank, rangeTop, rankOneDay } from '../../../core/analytics/ranking';

/** The answer read from every count: what the full aggregate (and raw logs) give. */
function fullTop(days: CertificateCount[][], n: number) {
  const totals = new Map<string, CertificateCount & { days_seen: number }>();
  for (const counts of days)
    for (const c of counts) {
      const key = `${c.issuer_key_hash}|${c.serial}`;
      const t = totals.get(key) ?? { ...c, requests: 0, days_seen: 0 };
      totals.set(key, { ...t, requests: t.requests + c.requests, days_seen: t.days_seen + 1 });
    }
  return [...totals.values()].sort(byRank).slice(0, n);
}

/** A small deterministic generator (mulberry32), so failures replay. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Days of Zipf-like counts over `certificates`, reshuffled a little each day. */
function zipfDays(seed: number, days: number, certificates: number, churn: number) {
  const next = random(seed);
  return Array.from({ length: days }, () =>
    Array.from({ length: certificates }, (_, i) => ({
      serial: i.toString(16).padStart(4, '0'),
      issuer_key_hash: i % 3 === 0 ? 'aa' : 'bb',
      requests: Math.max(0, Math.round(10_000 / (i + 1) + (next() - 0.5) * churn)),
    })).filter((c) => c.requests > 0),
  );
}

const c = (serial: string, requests: number): CertificateCount => ({
  serial,
  issuer_key_hash: 'aa',
  requests,
});

describe('top N of a range from daily rankings', () => {
  it('ranks a day as the queries do and bounds the rest by the first left out', () => {
    const day = rankOneDay('2026-11-01', [c('03', 5), c('01', 9), c('02', 5), c('04', 4)], 2);
    expect(day.ranked.map((r) => r.serial)).toEqual(['01', '02']);
    expect(day.bound).toBe(5);
    expect(rankOneDay('2026-11-01', [c('01', 9)], 2).bound).toBe(0);
  });

  it('answers exactly when the bounds prove it, with days seen', () => {
    const days = [
      [c('01', 100), c('02', 50), c('03', 3)],
      [c('01', 90), c('02', 60), c('04', 2)],
    ];
    const ranked = days.map((d, i) => rankOneDay(`2026-11-0${i + 1}`, d, 2));
    expect(ranked.map((d) => d.bound)).toEqual([3, 2]);
    const top = rangeTop(ranked, 2, 2);
    expect(top).toEqual({ exact: true, rows: fullTop(days, 2) });
  });

  it('is not exact when a certificate left out on some days could reach the N-th total', () => {
    // 03 is ranked on day 1 only; with day 2's bound it could total 40 + 39 > 70.
    const days = [
      [c('01', 100), c('03', 40), c('02', 30)],
      [c('01', 90), c('02', 40), c('03', 39)],
    ];
    const top = rangeTop(
      days.map((d, i) => rankOneDay(`2026-11-0${i + 1}`, d, 2)),
      2,
      2,
    );
    expect(top.exact).toBe(false);
  });

  it('is not exact when the bounds of never-ranked certificates reach the N-th total', () => {
    // 03 ties 02 every day and is never ranked at K = 2: 3 bounds of 10 reach 02's 30.
    const days = [1, 2, 3].map(() => [c('01', 100), c('02', 10), c('03', 10), c('04', 8)]);
    const ranked = days.map((d, i) => rankOneDay(`2026-11-0${i + 1}`, d, 2));
    expect(rangeTop(ranked, 3, 2).exact).toBe(false);
    // One less request for 03 each day, and the sum of bounds (27) proves the answer.
    const lower = [1, 2, 3].map(() => [c('01', 100), c('02', 10), c('03', 9), c('04', 8)]);
    const proven = rangeTop(
      lower.map((d, i) => rankOneDay(`2026-11-0${i + 1}`, d, 2)),
      3,
      2,
    );
    expect(proven).toEqual({ exact: true, rows: fullTop(lower, 2) });
  });

  it('is not exact when a day of the range has no ranking or two', () => {
    const day = rankOneDay('2026-11-01', [c('01', 5)], 10);
    expect(rangeTop([day], 2, 1).exact).toBe(false);
    expect(rangeTop([day, day], 2, 1).exact).toBe(false);
    expect(rangeTop([day], 1, 1)).toEqual({ exact: true, rows: [{ ...c('01', 5), days_seen: 1 }] });
  });

  it('with fewer ranked certificates than N, is exact only when nothing was left out', () => {
    const days = [[c('01', 5), c('02', 4)]];
    expect(rangeTop([rankOneDay('2026-11-01', days[0]!, 5)], 1, 3)).toEqual({
      exact: true,
      rows: fullTop(days, 3),
    });
    expect(rangeTop([rankOneDay('2026-11-01', days[0]!, 1)], 1, 3).exact).toBe(false);
  });

  it('never claims exact with a wrong answer, over many churned Zipf months', () => {
    let exact = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const days = zipfDays(seed, 30, 200, seed * 80);
      const ranked = days.map((d, i) => rankOneDay(`day-${i}`, d, 60));
      const top = rangeTop(ranked, 30, 20);
      if (!top.exact) continue;
      exact += 1;
      expect(top.rows).toEqual(fullTop(days, 20));
    }
    // Both paths are taken: low churn proves itself, high churn falls back.
    expect(exact).toBeGreaterThan(0);
    expect(exact).toBeLessThan(20);
  });
});
