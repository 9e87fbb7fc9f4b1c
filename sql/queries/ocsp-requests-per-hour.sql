-- description: OCSP requests and distinct clients per hour of one UTC day (raw logs, last days only)
-- param: date day
-- Filters on the partition key first, so Athena reads only the day's arrival
-- partitions (core/time/margins.ts) instead of the table.
-- Each line_id counts once (sql/fragments/once-per-line.sql).
WITH arrived AS (
  SELECT * FROM ocsp_requests
  WHERE {{> day-of-arrivals}}
),
requests AS (
  {{> once-per-line}}
)
SELECT
  substr(ts, 1, 13) AS hour_utc,
  count(*) AS requests,
  count(DISTINCT client_ip) AS distinct_clients
FROM requests
GROUP BY substr(ts, 1, 13)
ORDER BY hour_utc
