-- Every archived ACME record about one data subject, for an access request
-- (GDPR art. 15): records of the ACME account, and records where an address
-- of the subject's network (an address is its /32 or /128) is the requester
-- or an address the requested names resolved to. The subject comes from its
-- own table (core/query/identifier-table.ts), never from literals: Athena
-- keeps this text in its query history for 45 days. A subject given only one
-- of account / IP has no row of the other kind, which matches nothing.
-- IPs compare as addresses (TRY_CAST: every spelling of one address is one
-- address; a value that is no address matches nothing).
-- Arrays come back as JSON text so both engines render them the same way;
-- "$path" names the archived object each record came from.
WITH subject AS (
  SELECT
    max(CASE WHEN kind = 'account' THEN value END) AS account_id,
    max(CASE WHEN kind = 'network' THEN value END) AS network
  FROM {{subject_table}}
)
SELECT
  ts, e.account_id, source_ip, endpoint, method, status, order_id, authz_id, challenge_id,
  json_format(CAST(identifiers AS JSON)) AS identifiers,
  json_format(CAST(resolved_ips AS JSON)) AS resolved_ips,
  validation_method, validation_target, validation_result, user_agent,
  request_body, response_body, body_truncated, line_id,
  "$path" AS source_object
FROM acme_events AS e
CROSS JOIN subject AS s
WHERE hour BETWEEN {{first_hour}} AND {{last_hour}}
  AND (
    e.account_id = s.account_id
    OR contains(s.network, TRY_CAST(e.source_ip AS IPADDRESS))
    OR any_match(e.resolved_ips, r -> contains(s.network, TRY_CAST(r AS IPADDRESS)))
  )
ORDER BY ts, source_object
