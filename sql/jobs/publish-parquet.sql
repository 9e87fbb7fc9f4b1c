-- The day's public dataset as Parquet under the publish prefix. Reads the
-- published view, so k-suppression and the column allow-list are the view's,
-- not repeated here. day is left out of the files: it is in the path.
CREATE TABLE {{staging_table}}
WITH (format = 'PARQUET', external_location = {{location}})
AS
SELECT serial, issuer_key_hash, requests, status_good, status_revoked, status_unknown, status_error
FROM published_ocsp_cert_daily
WHERE day = {{day}}
