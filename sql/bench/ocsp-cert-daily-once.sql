-- bench/query/dedup.ts: the daily job's aggregation as a plain SELECT, each
-- line_id once (the job's own fragment).
{{> ocsp-cert-daily-counts}}
