-- Dry run of an OCSP case: how many records the extract would contain.
SELECT count(*) AS records
FROM {{sourceTable}}
WHERE {{scope}}
