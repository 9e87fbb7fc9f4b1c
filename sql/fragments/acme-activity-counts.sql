-- ACME activity of a group of events: how many requests, from how many addresses.
count(*) AS requests,
count(DISTINCT source_ip) AS distinct_source_ips
