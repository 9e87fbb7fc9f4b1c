-- description: one certificate's OCSP requests, distinct clients and statuses per hour of a UTC day (raw logs, last days only)
-- param: date day
-- param: serial hex
-- Reads the day's partitions plus an hour either side for late arrivals
-- (the same margin as the daily job), then keeps the day's own requests.
SELECT
  hour,
  issuer_key_hash,
  requests,
  distinct_clients,
  status_good,
  status_revoked,
  status_unknown,
  status_error
FROM (
  SELECT
    date_trunc('hour', CAST(from_iso8601_timestamp(ts) AS timestamp(3))) AS hour,
    issuer_key_hash,
    count(*) AS requests,
    count(DISTINCT client_ip) AS distinct_clients,
    count_if(status = 'good') AS status_good,
    count_if(status = 'revoked') AS status_revoked,
    count_if(status = 'unknown') AS status_unknown,
    count_if(status = 'error') AS status_error
  FROM ocsp_requests
  WHERE hour BETWEEN date_format(date_parse({{date}}, '%Y-%m-%d') - INTERVAL '1' HOUR, '%Y/%m/%d/%H')
    AND date_format(date_parse({{date}}, '%Y-%m-%d') + INTERVAL '25' HOUR, '%Y/%m/%d/%H')
    AND substr(ts, 1, 10) = {{date}}
    AND serial = {{serial}}
  GROUP BY 1, issuer_key_hash
)
ORDER BY hour, issuer_key_hash
