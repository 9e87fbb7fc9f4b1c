-- The rows of the CTE `arrived` with each line counted once: a line shipped
-- twice (re-shipped file, Firehose or shipper retry after an ambiguous
-- failure) lands as two records with the same line_id (core/ingest/line-id.ts);
-- one of them is kept. Records stored before line_id existed have none and are
-- kept as they are (docs/analytics.md). One window over the rows the caller
-- already bounded, so the deduplication reads no more partitions than the
-- count itself. Every statement that counts OCSP or ACME lines reads through
-- this fragment; the column line_copy is its only addition.
SELECT *
FROM (
  SELECT *, row_number() OVER (PARTITION BY line_id) AS line_copy
  FROM arrived
)
WHERE line_id IS NULL OR line_copy = 1
