-- description: one certificate's OCSP requests, distinct clients and statuses per hour of a UTC day (raw logs, last days only)
-- param: date day
-- param: serial hex
-- Reads the day's arrival partitions with the late-arrival margin of the
-- daily job (core/time/margins.ts), then keeps the day's own requests.
-- Each line_id counts once (sql/fragments/once-per-line.sql).
WITH arrived AS (
  SELECT * FROM ocsp_requests
  WHERE {{> day-of-arrivals}}
    AND serial = {{serial}}
),
requests AS (
  {{> once-per-line}}
)
SELECT
  hour,
  issuer_key_hash,
  requests,
  distinct_clients,
  status_good,
  status_revoked,
  status_unknown,
  status_error,
  status_unrecorded
FROM (
  SELECT
    date_trunc('hour', CAST(from_iso8601_timestamp(ts) AS timestamp(3))) AS hour,
    issuer_key_hash,
    {{> ocsp-volume-counts}}
  FROM requests
  GROUP BY 1, issuer_key_hash
)
ORDER BY hour, issuer_key_hash
