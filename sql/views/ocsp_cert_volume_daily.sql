-- OCSP requests per certificate and UTC day of request time, from the raw logs
-- (raw window only; ocsp_cert_daily keeps the same numbers long-term, plus one
-- row without certificate for records of another type, sql/jobs/count-daily-aggregate.sql).
-- day is the ISO date string, the same form as ocsp_cert_daily's partition key.
-- column: day varchar
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
  substr(ts, 1, 10) AS day,
  serial,
  issuer_key_hash,
  {{> ocsp-volume-counts}}
FROM requests
GROUP BY substr(ts, 1, 10), serial, issuer_key_hash
