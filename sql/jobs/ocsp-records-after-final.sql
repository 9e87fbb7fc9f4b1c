-- Records that arrived after their own day was final, in the arrival hours
-- the run finalising one day scans (core/time/finality.ts): they are in no
-- aggregate and no published day, so the job reports them as a metric
-- (OcspRecordsAfterFinal) with an alarm instead of losing them silently.
-- A record of day D is after final when its arrival hour starts at or after
-- D+1 00:00 plus the lateness hours. A timestamp that is not a date counts
-- too: it can be counted for no day at all.
SELECT count(*) AS after_final
FROM ocsp_requests
WHERE hour BETWEEN {{first_hour}} AND {{last_hour}}
  AND coalesce(
    date_parse(hour, '%Y/%m/%d/%H')
      >= date_add('hour', {{lateness_hours}} + 24, CAST(try(date(substr(ts, 1, 10))) AS timestamp)),
    true)
