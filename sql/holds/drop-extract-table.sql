-- Drops a case's extract table: before a retried CTAS, and right after one.
-- The table is external, so its files stay under the case's prefix.
DROP TABLE IF EXISTS {{extract_table}}
