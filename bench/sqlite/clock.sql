-- The pinned clock (@now, RFC 3339 UTC) and the search text (@q, NULL for
-- none) in a one-row temporary table, with the bounds the status rules and
-- the 30-day window need. Views cannot hold parameters; they read these.
-- Times are RFC 3339 UTC text throughout, so comparing them as text
-- compares them as times.
CREATE TEMP TABLE clock AS SELECT
  @now AS now,
  unixepoch(@now) / 86400 AS today,                                -- UTC day number
  unixepoch(@now) / 86400 - 29 AS first_day,                       -- of the 30-day window
  date(@now, '-29 days') || 'T00:00:00Z' AS window_start,          -- the same, as a time
  strftime('%Y-%m-%dT%H:%M:%SZ', @now, '-7 days') AS new_after,    -- created after this: new
  strftime('%Y-%m-%dT%H:%M:%SZ', @now, '-30 days') AS idle_before, -- last session at or before: inactive
  lower(@q) AS q;
