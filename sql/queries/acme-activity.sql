-- description: ACME requests per account, endpoint and HTTP status on a UTC day (subscriber archive)
-- param: date day
-- Bounds the archive's hour partitions (plus an hour either side for late
-- arrivals) so Athena reads one day, not the multi-year archive.
SELECT
  account_id,
  endpoint,
  status,
  count(*) AS requests,
  count(DISTINCT source_ip) AS distinct_source_ips
FROM acme_events
WHERE hour BETWEEN date_format(date_parse({{date}}, '%Y-%m-%d') - INTERVAL '1' HOUR, '%Y/%m/%d/%H')
  AND date_format(date_parse({{date}}, '%Y-%m-%d') + INTERVAL '25' HOUR, '%Y/%m/%d/%H')
  AND substr(ts, 1, 10) = {{date}}
GROUP BY account_id, endpoint, status
ORDER BY requests DESC, account_id, endpoint, status
