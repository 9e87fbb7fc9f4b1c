-- description: the 100 most-requested certificates over a range of UTC days, read from every row of the long-term aggregate
-- param: from day
-- param: to day
-- range: from to
-- The answer top-certificates-range falls back to when its ranking cannot
-- prove itself exact. Sums the daily Parquet partitions of the range; day is
-- the partition key, so only those days are read.
SELECT
  serial,
  issuer_key_hash,
  sum(requests) AS requests,
  count(*) AS days_seen,
  'ocsp_cert_daily' AS answered_from
FROM ocsp_cert_daily
WHERE day BETWEEN {{from}} AND {{to}}
  -- a day's group without a certificate holds records of another type (docs/ingestion.md)
  AND serial IS NOT NULL AND issuer_key_hash IS NOT NULL
GROUP BY serial, issuer_key_hash
ORDER BY requests DESC, issuer_key_hash, serial
LIMIT 100
