-- OCSP requests per certificate and hour of request time (UTC), from the raw
-- logs, so it covers only the raw window (ocsp.rawLogExpiryDays).
-- Bucketed by the request's own timestamp, not the Firehose arrival partition,
-- so a request buffered across an hour boundary counts in the hour it was made.
-- Exact distinct counts: k-anonymity decisions downstream must not be approximate.
-- column: hour timestamp(3)
-- column: serial varchar
-- column: issuer_key_hash varchar
-- column: requests bigint
-- column: distinct_clients bigint
-- column: status_good bigint
-- column: status_revoked bigint
-- column: status_unknown bigint
-- column: status_error bigint
-- column: status_unrecorded bigint
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
  serial,
  issuer_key_hash,
  {{> ocsp-volume-counts}}
FROM requests
GROUP BY 1, serial, issuer_key_hash
