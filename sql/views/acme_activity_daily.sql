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
-- Each line_id counts once (sql/fragments/once-per-line.sql).
WITH arrived AS (SELECT * FROM acme_events),
events AS (
  {{> once-per-line}}
)
SELECT
  substr(ts, 1, 10) AS day,
  account_id,
  endpoint,
  status,
  {{> acme-activity-counts}}
FROM events
GROUP BY substr(ts, 1, 10), account_id, endpoint, status
