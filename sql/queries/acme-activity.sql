-- description: ACME requests per account, endpoint and HTTP status on a UTC day (subscriber archive)
-- param: date day
-- Bounds the archive's hour partitions to the day's arrivals (with the
-- late-arrival margin, core/time/margins.ts) so Athena reads one day, not the
-- multi-year archive.
SELECT
  account_id,
  endpoint,
  status,
  {{> acme-activity-counts}}
FROM acme_events
WHERE {{> day-of-arrivals}}
GROUP BY account_id, endpoint, status
ORDER BY requests DESC, account_id, endpoint, status
