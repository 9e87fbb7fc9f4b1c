-- The 100 most-requested certificates of each day, from the long-term Parquet
-- aggregate (so it reaches back beyond the raw window). Ties are broken by
-- issuer and serial so the ranking is deterministic. day stays the partition
-- string so `WHERE day = '2026-11-27'` prunes to one partition.
-- column: day varchar
-- column: rank bigint
-- column: serial varchar
-- column: issuer_key_hash varchar
-- column: requests bigint
-- column: distinct_clients bigint
SELECT day, rank, serial, issuer_key_hash, requests, distinct_clients
FROM (
  SELECT
    day,
    row_number() OVER (
      PARTITION BY day ORDER BY requests DESC, issuer_key_hash, serial
    ) AS rank,
    serial,
    issuer_key_hash,
    requests,
    distinct_clients
  FROM ocsp_cert_daily
  -- a day's group without a certificate holds records of another type (docs/ingestion.md)
  WHERE serial IS NOT NULL AND issuer_key_hash IS NOT NULL
)
WHERE rank <= 100
