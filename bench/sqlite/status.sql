-- The status of SPEC §4 over the rows of a side's org_rows view (columns:
-- seq, id, name, ref_id, created_at, users, data_sources, ai_trained,
-- integrations, sessions_30d, sessions_total, last_active_at), first rule
-- that matches.
CREATE TEMP VIEW org_status AS
SELECT r.*,
  CASE
    WHEN r.created_at > (SELECT new_after FROM clock) AND r.last_active_at IS NULL THEN 'new'
    WHEN r.data_sources = 0 AND r.integrations = 0 THEN 'setup_incomplete'
    WHEN r.last_active_at IS NULL OR r.last_active_at <= (SELECT idle_before FROM clock) THEN 'inactive'
    ELSE 'healthy'
  END AS status
FROM org_rows r;
