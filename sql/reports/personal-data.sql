-- Every archived ACME record about one data subject, for an access request
-- (GDPR art. 15): records of the ACME account, and records where the IP is
-- the requester or an address the requested names resolved to. A subject
-- given only one of account / IP gets NULL for the other, which matches nothing.
-- Arrays come back as JSON text so both engines render them the same way;
-- "$path" names the archived object each record came from.
SELECT
  ts, account_id, source_ip, endpoint, method, status, order_id, authz_id, challenge_id,
  json_format(CAST(identifiers AS JSON)) AS identifiers,
  json_format(CAST(resolved_ips AS JSON)) AS resolved_ips,
  validation_method, validation_target, validation_result, user_agent,
  request_body, response_body, body_truncated, line_id,
  "$path" AS source_object
FROM acme_events
WHERE hour BETWEEN {{first_hour}} AND {{last_hour}}
  AND (
    account_id = {{account_id}}
    OR source_ip = {{ip}}
    OR contains(resolved_ips, {{ip}})
  )
ORDER BY ts, source_object
