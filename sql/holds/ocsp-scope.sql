-- The records an OCSP case covers. The hour bounds prune partitions through
-- the projection (with the late-arrival margin, core/time/margins.ts); the ts
-- bounds cut the partial hours at both ends. The case's networks and serials
-- come from the `filters` row (sql/fragments/case-filters.sql), never from
-- literals, so the statement names no one; an empty list means no filter.
-- Every value is a parameter of core/holds/ocsp-extract.ts, quoted by core/query/sql.ts.
r.hour BETWEEN {{first_hour}} AND {{last_hour}}
AND from_iso8601_timestamp(r.ts) >= from_iso8601_timestamp({{from}})
AND from_iso8601_timestamp(r.ts) < from_iso8601_timestamp({{to}})
AND (cardinality(f.networks) = 0 OR any_match(f.networks, n -> contains(n, CAST(r.client_ip AS IPADDRESS))))
AND (cardinality(f.serials) = 0 OR contains(f.serials, r.serial))
