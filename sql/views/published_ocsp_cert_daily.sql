-- The public dataset: per-certificate daily OCSP volume from the long-term
-- aggregate, with no IP, user-agent, browser or OS column, and every
-- certificate-day seen by fewer than k distinct clients left out entirely
-- (k = analytics.kAnonymity of the stage, substituted at synth).
-- column: day varchar
-- column: serial varchar
-- column: issuer_key_hash varchar
-- column: requests bigint
-- column: status_good bigint
-- column: status_revoked bigint
-- column: status_unknown bigint
-- column: status_error bigint
SELECT
  day,
  serial,
  issuer_key_hash,
  requests,
  status_good,
  status_revoked,
  status_unknown,
  status_error
FROM ocsp_cert_daily
WHERE distinct_clients >= {{k_anonymity}}
