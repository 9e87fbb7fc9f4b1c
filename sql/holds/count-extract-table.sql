-- What the extract CTAS wrote (Athena's CTAS returns no row count, Trino's does).
SELECT count(*) AS records
FROM {{extract_table}}
