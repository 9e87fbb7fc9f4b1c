-- The OCSP records one legal-hold case needs, and nothing else, written as
-- JSON lines under the case's prefix of the investigations bucket.
-- CTAS with external_location runs unchanged on Athena engine v3 and on Trino
-- (UNLOAD is Athena-only); the table is dropped right after, the files stay.
CREATE TABLE {{extract_table}}
WITH (format = 'JSON', external_location = {{location}})
AS
WITH {{> case-filters}}
SELECT r.*
FROM {{source_table}} AS r
CROSS JOIN filters AS f
WHERE {{scope}}
