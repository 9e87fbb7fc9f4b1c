-- bench/query: the top-100 certificates of one day computed from the raw JSON,
-- the query the daily aggregate saves analysts from running.
SELECT serial, issuer_key_hash, count(*) AS requests
FROM ocsp_requests
WHERE hour BETWEEN {{first_hour}} AND {{last_hour}}
GROUP BY serial, issuer_key_hash
ORDER BY requests DESC
LIMIT 100
