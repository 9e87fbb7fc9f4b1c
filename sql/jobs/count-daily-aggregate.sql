-- What the aggregate CTAS (sql/jobs/ocsp-cert-daily.sql) wrote, for the job's
-- result and metrics. A group without serial or issuer key hash is no
-- certificate: its lines are records of another type in the OCSP raw bucket
-- (an ACME event, which has ts and line_id but no CertID, sent to an OCSP
-- stream by a producer's own shipper). They are counted apart, from this small
-- Parquet table, so the wrong-type alarm costs no extra scan of raw logs
-- (docs/ingestion.md); no ranking, view or publication counts them.
SELECT
  count_if(serial IS NOT NULL AND issuer_key_hash IS NOT NULL) AS certificates,
  coalesce(sum(requests) FILTER (WHERE serial IS NOT NULL AND issuer_key_hash IS NOT NULL), 0)
    AS requests,
  coalesce(sum(requests) FILTER (WHERE serial IS NULL OR issuer_key_hash IS NULL), 0)
    AS records_without_certificate
FROM {{staging_table}}
