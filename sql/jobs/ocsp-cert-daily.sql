-- Materialises one day of per-certificate OCSP aggregates as Parquet into that
-- day's partition location of ocsp_cert_daily. CTAS with external_location is
-- accepted by Athena engine v3 and Trino alike; the caller empties the location
-- first (both engines refuse a non-empty one) and drops the staging table
-- after, which leaves the files: the table is external.
-- Columns match ocsp_cert_daily's, and the aggregation matches the
-- ocsp_cert_volume_daily view; test/analytics proves both on Trino. Each
-- line_id counts once (sql/fragments/once-per-line.sql).
CREATE TABLE {{staging_table}}
WITH (format = 'PARQUET', external_location = {{location}})
AS
{{> ocsp-cert-daily-counts}}
