-- description: ACME requests per account, endpoint and HTTP status on a UTC day (subscriber archive)
-- param: date day
-- Bounds the archive's hour partitions to the day's arrivals (with the
-- late-arrival margin, core/time/margins.ts) so Athena reads one day, not the
-- multi-year archive.
-- Each line_id counts once (sql/fragments/once-per-line.sql).
WITH arrived AS (
  SELECT * FROM acme_events
  WHERE {{> day-of-arrivals}}
),
events AS (
  {{> once-per-line}}
)
SELECT
  account_id,
  endpoint,
  status,
  {{> acme-activity-counts}}
FROM events
GROUP BY account_id, endpoint, status
ORDER BY requests DESC, account_id, endpoint, status
