-- bench/query/dedup.ts: the daily job's aggregation without the
-- deduplication (every stored copy counted), to measure what counting each
-- line_id once costs. Not used by any job.
SELECT
  serial,
  issuer_key_hash,
  {{> ocsp-volume-counts}}
FROM ocsp_requests
WHERE {{> day-of-arrivals}}
GROUP BY serial, issuer_key_hash
