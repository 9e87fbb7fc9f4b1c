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
WHERE hour BETWEEN {{date_first_hour}} AND {{date_last_hour}}
  AND substr(ts, 1, 10) = {{date}}
GROUP BY account_id, endpoint, status
ORDER BY requests DESC, account_id, endpoint, status
