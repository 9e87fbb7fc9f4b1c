-- description: the 100 most-requested certificates over a range of UTC days, exact; from the daily rankings when their bounds prove it, else from the whole aggregate
-- param: from day
-- param: to day
-- range: from to
-- fallback: top-certificates-range-full
-- Reads only ocsp_cert_rank_daily: per day the busiest certificates and a
-- bound row (no certificate) with the most requests any unranked certificate
-- had (sql/jobs/ocsp-cert-rank-daily.sql). The answer is exact, and
-- answered_from says ocsp_cert_rank_daily, when (docs/analytics.md, and
-- core/analytics/ranking.ts is the reference this must equal):
-- 1. every day of the range has its bound row, exactly once;
-- 2. each of the 100 answered certificates is ranked on every day whose bound
--    is not 0 (so its total and its days seen are known);
-- 3. no certificate outside the answer can reach the 100th total: neither
--    one ranked on some days (its known requests plus the bounds of its
--    other days) nor one never ranked (the sum of all bounds); with fewer
--    than 100 ranked certificates, every bound must be 0.
-- Otherwise it returns one row whose answered_from starts with "fallback":
-- `logvault query` then runs top-certificates-range-full, the same question
-- over every aggregate row.
WITH ranking AS (
  SELECT day, serial, issuer_key_hash, requests
  FROM ocsp_cert_rank_daily
  WHERE day BETWEEN {{from}} AND {{to}}
),
bounds AS (
  SELECT day, requests AS bound FROM ranking WHERE serial IS NULL
),
range_bound AS (
  SELECT
    count(*) AS bound_rows,
    count(DISTINCT day) AS days_bounded,
    coalesce(sum(bound), 0) AS total
  FROM bounds
),
candidates AS (
  SELECT
    r.serial,
    r.issuer_key_hash,
    sum(r.requests) AS requests,
    count(*) AS days_seen,
    sum(b.bound) AS bound_on_days_seen
  FROM ranking r
  JOIN bounds b ON b.day = r.day
  WHERE r.serial IS NOT NULL
  GROUP BY r.serial, r.issuer_key_hash
),
ordered AS (
  SELECT
    c.serial,
    c.issuer_key_hash,
    c.requests,
    c.days_seen,
    rb.total - c.bound_on_days_seen AS unknown_bound,
    row_number() OVER (ORDER BY c.requests DESC, c.issuer_key_hash, c.serial) AS position
  FROM candidates c
  CROSS JOIN range_bound rb
),
tally AS (
  SELECT
    max(requests) FILTER (WHERE position = 100) AS hundredth,
    count_if(position <= 100 AND unknown_bound > 0) AS answered_unsure,
    max(requests + unknown_bound) FILTER (WHERE position > 100 AND unknown_bound > 0) AS rest_most
  FROM ordered
),
verdict AS (
  SELECT
    rb.bound_rows = date_diff('day', date({{from}}), date({{to}})) + 1
    AND rb.days_bounded = rb.bound_rows
    AND t.answered_unsure = 0
    AND CASE
      WHEN t.hundredth IS NULL THEN rb.total = 0
      ELSE rb.total < t.hundredth AND coalesce(t.rest_most < t.hundredth, true)
    END AS exact
  FROM range_bound rb
  CROSS JOIN tally t
)
SELECT serial, issuer_key_hash, requests, days_seen, answered_from
FROM (
  SELECT o.serial, o.issuer_key_hash, o.requests, o.days_seen, 'ocsp_cert_rank_daily' AS answered_from
  FROM ordered o
  CROSS JOIN verdict v
  WHERE v.exact AND o.position <= 100
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, 'fallback: the daily rankings cannot prove this range exact'
  FROM verdict
  WHERE NOT exact
)
ORDER BY requests DESC, issuer_key_hash, serial
