-- Dry run of an OCSP case: how many records the extract would contain.
SELECT count(*) AS records
FROM {{source_table}}
WHERE {{scope}}
