-- One row holding a case's filter lists, read from the case's filter table
-- (core/query/identifier-table.ts): the values identify people, so they reach
-- the engine as data and the statement's text (kept in Athena's query history
-- for 45 days, and in CloudTrail) carries none of them.
filters AS (
  SELECT
    coalesce(array_agg(value) FILTER (WHERE kind = 'network'), CAST(ARRAY[] AS ARRAY(VARCHAR))) AS networks,
    coalesce(array_agg(value) FILTER (WHERE kind = 'serial'), CAST(ARRAY[] AS ARRAY(VARCHAR))) AS serials
  FROM {{filter_table}}
)
