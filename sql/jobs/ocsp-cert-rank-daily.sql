-- Materialises one day of ocsp_cert_rank_daily from that day's ocsp_cert_daily
-- partition (written just before by the same job): the {{ranked}} busiest
-- certificates, ranked as the top-N queries rank (requests, then issuer and
-- serial), and one bound row (rank {{ranked}} + 1, no certificate) holding the
-- most requests any certificate left out had that day, 0 when none was left
-- out. The bound row is written even for a day with no requests, so a day
-- with no row at all is a day never ranked, which a range query must not
-- take for an empty day (sql/queries/top-certificates-range.sql).
-- Same CTAS rules as sql/jobs/ocsp-cert-daily.sql: emptied location,
-- staging table dropped after.
CREATE TABLE {{staging_table}}
WITH (format = 'PARQUET', external_location = {{location}})
AS
WITH ranked AS (
  SELECT
    row_number() OVER (ORDER BY requests DESC, issuer_key_hash, serial) AS rank,
    serial,
    issuer_key_hash,
    requests
  FROM ocsp_cert_daily
  -- the day's group without a certificate (records of another type) is no certificate
  WHERE day = {{date}} AND serial IS NOT NULL AND issuer_key_hash IS NOT NULL
)
SELECT rank, serial, issuer_key_hash, requests
FROM ranked
WHERE rank <= {{ranked}}
UNION ALL
SELECT
  CAST({{ranked}} + 1 AS bigint) AS rank,
  CAST(NULL AS varchar) AS serial,
  CAST(NULL AS varchar) AS issuer_key_hash,
  coalesce(max(requests), 0) AS requests
FROM ranked
WHERE rank > {{ranked}}
