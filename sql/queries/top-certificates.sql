-- description: the 100 most-requested certificates of a UTC day, from the long-term aggregate
-- param: date day
-- day is the aggregate's partition key, so only that day's Parquet is read.
SELECT rank, serial, issuer_key_hash, requests, distinct_clients
FROM ocsp_top_certs_daily
WHERE day = {{date}}
ORDER BY rank
