-- description: OCSP requests and distinct clients per hour of one UTC day (raw logs, last days only)
-- param: date day
-- Filters on the partition key first, so Athena reads only the day's 24
-- hourly prefixes (plus the next hour for late arrivals) instead of the table.
SELECT
  substr(ts, 1, 13) AS hour_utc,
  count(*) AS requests,
  approx_distinct(client_ip) AS distinct_clients
FROM ocsp_requests
WHERE hour BETWEEN replace({{date}}, '-', '/') || '/00'
  AND date_format(date_parse({{date}}, '%Y-%m-%d') + INTERVAL '1' DAY, '%Y/%m/%d/00')
  AND substr(ts, 1, 10) = {{date}}
GROUP BY substr(ts, 1, 13)
ORDER BY hour_utc
