-- One day's per-certificate OCSP counts, each line_id once: the body of the
-- daily job's CTAS (sql/jobs/ocsp-cert-daily.sql), and what bench/query/dedup.ts
-- measures against sql/bench/ocsp-cert-daily-every-copy.sql.
WITH arrived AS (
  SELECT * FROM ocsp_requests
  WHERE {{> day-of-arrivals}}
),
requests AS (
  {{> once-per-line}}
)
SELECT
  serial,
  issuer_key_hash,
  {{> ocsp-volume-counts}}
FROM requests
GROUP BY serial, issuer_key_hash
