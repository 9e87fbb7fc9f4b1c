-- Every OCSP request from one data subject's network that the raw OCSP bucket
-- still keeps (under seven days), for an access request: the request covers
-- what is stored when it is made (issue 16). Same subject table as
-- personal-data.sql; a subject given only an account id has no network and
-- matches nothing, since an OCSP request carries no account. IPs compare as
-- addresses. Each shipped line once (once-per-line); "$path" names the raw
-- object the record came from.
WITH subject AS (
  SELECT max(CASE WHEN kind = 'network' THEN value END) AS network
  FROM {{subject_table}}
),
arrived AS (
  SELECT r.*, r."$path" AS source_object
  FROM ocsp_requests AS r
  CROSS JOIN subject AS s
  WHERE r.hour BETWEEN {{first_hour}} AND {{last_hour}}
    AND contains(s.network, TRY_CAST(r.client_ip AS IPADDRESS))
),
requests AS (
  {{> once-per-line}}
)
SELECT
  ts, client_ip, browser_family, os_family, method, issuer_key_hash, issuer_name_hash,
  hash_alg, serial, status, responder_id, region, latency_ms, bytes, line_id, source_object
FROM requests
ORDER BY ts, source_object
