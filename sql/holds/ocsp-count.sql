-- Dry run of an OCSP case: how many records the extract would contain.
WITH {{> case-filters}}
SELECT count(*) AS records
FROM {{source_table}} AS r
CROSS JOIN filters AS f
WHERE {{scope}}
