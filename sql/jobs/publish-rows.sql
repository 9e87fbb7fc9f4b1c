-- The day's public dataset as rows, written as CSV by the job itself: the
-- engines have no common CTAS syntax for CSV (Athena: field_delimiter, Trino:
-- csv_separator), so the rows come back through the runner instead.
SELECT day, serial, issuer_key_hash, requests, status_good, status_revoked, status_unknown, status_error
FROM published_ocsp_cert_daily
WHERE day = {{day}}
ORDER BY requests DESC, issuer_key_hash, serial
