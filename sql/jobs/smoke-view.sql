-- logvault smoke: the view planned and run by the engine (names, types and
-- functions resolved against the catalog) without reading any data.
SELECT * FROM {{view}} LIMIT 0
