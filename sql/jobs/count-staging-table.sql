-- What a CTAS wrote, for the job's result and metrics (Athena's CTAS returns
-- no row count, Trino's does; counting afterwards works on both).
SELECT count(*) AS certificates, coalesce(sum(requests), 0) AS requests
FROM {{staging_table}}
