-- The records an OCSP case covers. The hour bounds prune partitions through
-- the projection (with the late-arrival margin, core/time/margins.ts); the ts
-- bounds cut the partial hours at both ends. An empty list means no filter.
-- Every value is a parameter of core/holds/ocsp-extract.ts, quoted by core/query/sql.ts.
hour BETWEEN {{first_hour}} AND {{last_hour}}
AND from_iso8601_timestamp(ts) >= from_iso8601_timestamp({{from}})
AND from_iso8601_timestamp(ts) < from_iso8601_timestamp({{to}})
AND (cardinality({{networks}}) = 0 OR any_match({{networks}}, n -> contains(n, CAST(client_ip AS IPADDRESS))))
AND (cardinality({{serials}}) = 0 OR contains({{serials}}, serial))
