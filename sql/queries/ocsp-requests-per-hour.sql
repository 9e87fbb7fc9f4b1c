-- description: OCSP requests and distinct clients per hour of one UTC day (raw logs, last days only)
-- param: date day
-- Filters on the partition key first, so Athena reads only the day's arrival
-- partitions (core/time/margins.ts) instead of the table.
SELECT
  substr(ts, 1, 13) AS hour_utc,
  count(*) AS requests,
  approx_distinct(client_ip) AS distinct_clients
FROM ocsp_requests
WHERE {{> day-of-arrivals}}
GROUP BY substr(ts, 1, 13)
ORDER BY hour_utc
