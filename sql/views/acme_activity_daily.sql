-- ACME requests per UTC day of event time, account, endpoint and HTTP status,
-- from the subscriber archive. A filter on day cannot prune the archive's
-- hour partitions through this view: bound `hour` on acme_events directly (as
-- sql/queries/acme-activity.sql does) when only a period is wanted.
-- column: day varchar
-- column: account_id varchar
-- column: endpoint varchar
-- column: status bigint
-- column: requests bigint
-- column: distinct_source_ips bigint
SELECT
  substr(ts, 1, 10) AS day,
  account_id,
  endpoint,
  status,
  {{> acme-activity-counts}}
FROM acme_events
GROUP BY substr(ts, 1, 10), account_id, endpoint, status
