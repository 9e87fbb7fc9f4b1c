-- The records of one UTC day: the arrival partitions that can hold them (a
-- record lands in the partition of its arrival, up to the late-arrival margin
-- of core/time/margins.ts away from the hour it was made in), then exactly the
-- day's own timestamps. A named query's `day` parameter called `date` fills
-- all three placeholders.
hour BETWEEN {{date_first_hour}} AND {{date_last_hour}}
AND substr(ts, 1, 10) = {{date}}
