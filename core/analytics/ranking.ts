/**
 * The exactness rule of a range's top N read from daily rankings, in
 * TypeScript: the reference sql/queries/top-certificates-range.sql must
 * equal (test/analytics proves it on Trino) and the place the rule is
 * unit-tested. Each day keeps its K busiest certificates and a bound: the
 * most requests any certificate left out had that day (0 when none was).
 */

export interface CertificateCount {
  readonly serial: string;
  readonly issuer_key_hash: string;
  readonly requests: number;
}

export interface RankedDay {
  readonly day: string;
  readonly ranked: readonly CertificateCount[];
  /** The most requests of a certificate not in `ranked` (0: none left out). */
  readonly bound: number;
}

export interface RangeTop {
  /** False: the rankings cannot prove the answer; ask the full aggregate. */
  readonly exact: boolean;
  /** The top N when exact, as the full aggregate orders it; empty otherwise. */
  readonly rows: readonly (CertificateCount & { readonly days_seen: number })[];
}

/** The top-N order of every logvault query: requests, then issuer, then serial. */
export const byRank = (a: CertificateCount, b: CertificateCount) =>
  b.requests - a.requests ||
  (a.issuer_key_hash < b.issuer_key_hash ? -1 : a.issuer_key_hash > b.issuer_key_hash ? 1 : 0) ||
  (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0);

/** One day's ranking from its per-certificate counts (sql/jobs/ocsp-cert-rank-daily.sql). */
export function rankOneDay(day: string, counts: readonly CertificateCount[], k: number): RankedDay {
  const ordered = [...counts].sort(byRank);
  return { day, ranked: ordered.slice(0, k), bound: ordered[k]?.requests ?? 0 };
}

const keyOf = (c: CertificateCount) => `${c.issuer_key_hash}|${c.serial}`;

/**
 * The top `n` of a range of `rangeDays` days from its days' rankings, exact
 * only when every day is ranked once, each answered certificate is ranked on
 * every day whose bound is not 0, and no other certificate can reach the
 * n-th total (see docs/analytics.md "Top certificates over a range").
 */
export function rangeTop(days: readonly RankedDay[], rangeDays: number, n = 100): RangeTop {
  const inexact: RangeTop = { exact: false, rows: [] };
  if (days.length !== rangeDays || new Set(days.map((d) => d.day)).size !== days.length)
    return inexact;
  const total = days.reduce((sum, d) => sum + d.bound, 0);
  type Candidate = { serial: string; issuer_key_hash: string; requests: number };
  const candidates = new Map<string, Candidate & { days_seen: number; seenBound: number }>();
  for (const d of days)
    for (const c of d.ranked) {
      const known = candidates.get(keyOf(c)) ?? { ...c, requests: 0, days_seen: 0, seenBound: 0 };
      known.requests += c.requests;
      known.days_seen += 1;
      known.seenBound += d.bound;
      candidates.set(keyOf(c), known);
    }
  const ordered = [...candidates.values()].sort(byRank);
  const unknown = (c: { seenBound: number }) => total - c.seenBound;
  const answer = ordered.slice(0, n);
  if (answer.some((c) => unknown(c) > 0)) return inexact;
  const nth = answer.length === n ? answer[n - 1]!.requests : undefined;
  const provable =
    nth === undefined
      ? total === 0
      : total < nth &&
        ordered.slice(n).every((c) => unknown(c) === 0 || c.requests + unknown(c) < nth);
  if (!provable) return inexact;
  return {
    exact: true,
    rows: answer.map(({ serial, issuer_key_hash, requests, days_seen }) => ({
      serial,
      issuer_key_hash,
      requests,
      days_seen,
    })),
  };
}
