-- All OCSP traffic per hour of request time (UTC), from the raw logs: the
-- responder-wide load curve for capacity planning.
-- column: hour timestamp(3)
-- column: requests bigint
-- column: distinct_clients bigint
-- column: distinct_certificates bigint
-- column: status_good bigint
-- column: status_revoked bigint
-- column: status_unknown bigint
-- column: status_error bigint
-- column: status_unrecorded bigint
-- column: response_bytes bigint
-- Each line_id counts once (sql/fragments/once-per-line.sql).
-- A record without serial or issuer key hash is no OCSP request: another type's
-- record in the OCSP bucket, which the daily job counts and alarms on (docs/ingestion.md).
WITH arrived AS (
  SELECT * FROM ocsp_requests WHERE serial IS NOT NULL AND issuer_key_hash IS NOT NULL
),
requests AS (
  {{> once-per-line}}
)
SELECT
  date_trunc('hour', CAST(from_iso8601_timestamp(ts) AS timestamp(3))) AS hour,
  count(*) AS requests,
  count(DISTINCT client_ip) AS distinct_clients,
  -- a certificate is identified by issuer and serial together
  count(DISTINCT (issuer_key_hash, serial)) AS distinct_certificates,
  count_if(status = 'good') AS status_good,
  count_if(status = 'revoked') AS status_revoked,
  count_if(status = 'unknown') AS status_unknown,
  count_if(status = 'error') AS status_error,
  count_if(status = 'unrecorded') AS status_unrecorded,
  sum(bytes) AS response_bytes
FROM requests
GROUP BY 1
