-- Drops a job's staging table. Staging tables are external, so their files
-- stay where the CTAS wrote them (the partition of the real table).
DROP TABLE IF EXISTS {{staging_table}}
