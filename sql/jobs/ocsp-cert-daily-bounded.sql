-- One day's per-certificate OCSP counts with each party's contribution
-- bounded: the input of the private publication (docs/publication.md), never
-- published as is. core/analytics/publication/bounding.ts is the reference
-- this must equal; test/core/analytics/publication proves it on Trino.
-- - A client address counts at most {{per_client}} requests toward a
--   certificate, a network prefix (IPv4 /24, IPv6 /48) at most
--   {{per_prefix}}, toward at most {{certificates_per_prefix}} certificates:
--   those it counts most toward, ties broken by a per-prefix CRC-32.
-- - Addresses are canonicalised through IPADDRESS (mapped IPv6 becomes
--   IPv4, RFC 5952 text), as core/ip does, so every spelling of an address
--   is one client; text that is not an address, or has a zone id, counts
--   for no one.
-- - The hour range is the day's publication window (finality.ts): records
--   of the day that arrived after it are left out, whatever the job's date.
-- - Each line_id counts once (sql/fragments/once-per-line.sql): a resent
--   duplicate is no second request of its client.
WITH arrived AS (
  SELECT * FROM ocsp_requests
  WHERE hour BETWEEN {{first_hour}} AND {{last_hour}}
    AND substr(ts, 1, 10) = {{day}}
    AND strpos(client_ip, '%') = 0
    -- another type's record (no CertID) is no request of a certificate
    AND serial IS NOT NULL AND issuer_key_hash IS NOT NULL
),
once AS (
  {{> once-per-line}}
),
requests AS (
  SELECT serial, issuer_key_hash, CAST(try_cast(client_ip AS IPADDRESS) AS VARCHAR) AS client
  FROM once
),
per_client AS (
  SELECT serial, issuer_key_hash, client, least(count(*), {{per_client}}) AS contribution
  FROM requests
  WHERE client IS NOT NULL
  GROUP BY serial, issuer_key_hash, client
),
-- The /24 of an IPv4 address; the first three groups of an IPv6 one, its
-- zero groups at the end dropped into the '::' (RFC 5952 text of the /48).
with_prefix AS (
  SELECT serial, issuer_key_hash, contribution,
    CASE WHEN strpos(client, ':') = 0
      THEN regexp_replace(client, '\.[0-9]+$', '.0/24')
      ELSE concat(
        regexp_replace(
          array_join(slice(concat(
            CASE WHEN strpos(client, '::') = 1 THEN CAST(ARRAY[] AS array(varchar))
                 WHEN strpos(client, '::') > 1 THEN split(substr(client, 1, strpos(client, '::') - 1), ':')
                 ELSE split(client, ':') END,
            ARRAY['0', '0', '0']), 1, 3), ':'),
          '(^|:)0(:0)*$', ''),
        '::/48')
    END AS prefix
  FROM per_client
),
per_prefix AS (
  SELECT serial, issuer_key_hash, prefix, least(sum(contribution), {{per_prefix}}) AS contribution
  FROM with_prefix
  GROUP BY serial, issuer_key_hash, prefix
),
ranked AS (
  SELECT serial, issuer_key_hash, contribution,
    row_number() OVER (
      PARTITION BY prefix
      ORDER BY contribution DESC,
        crc32(to_utf8(concat(prefix, ' ', issuer_key_hash, ' ', serial))),
        issuer_key_hash, serial
    ) AS kept_rank
  FROM per_prefix
)
SELECT serial, issuer_key_hash, sum(contribution) AS bounded_requests
FROM ranked
WHERE kept_rank <= {{certificates_per_prefix}}
GROUP BY serial, issuer_key_hash
