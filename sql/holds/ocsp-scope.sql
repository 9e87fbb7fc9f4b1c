-- The records an OCSP case covers. The hour bounds prune partitions through
-- the projection; the ts bounds cut the partial hours at both ends.
-- Filled by lambdas/shared/holds/ocsp-extract.ts from schema-validated values only.
hour BETWEEN '{{firstHour}}' AND '{{lastHour}}'
AND from_iso8601_timestamp(ts) >= from_iso8601_timestamp('{{from}}')
AND from_iso8601_timestamp(ts) < from_iso8601_timestamp('{{to}}')
AND ({{ipFilter}})
AND ({{serialFilter}})
