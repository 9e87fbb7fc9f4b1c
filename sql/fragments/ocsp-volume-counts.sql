-- Per-certificate OCSP volume of a group of requests: how many, from how many
-- clients (exact: k-anonymity decisions downstream must not be approximate),
-- and the answers by status. One definition for the daily job, the views
-- and the named queries.
count(*) AS requests,
count(DISTINCT client_ip) AS distinct_clients,
count_if(status = 'good') AS status_good,
count_if(status = 'revoked') AS status_revoked,
count_if(status = 'unknown') AS status_unknown,
count_if(status = 'error') AS status_error,
-- the source logged the exchange but not the answer (web server, CDN)
count_if(status = 'unrecorded') AS status_unrecorded
