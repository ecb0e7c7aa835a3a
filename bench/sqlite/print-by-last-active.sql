-- `orgs list --sort last-active -o json`: as print-by-name.sql, ordered by
-- the last session, never-active orgs first (NULL sorts first), ties by
-- name ignoring case, then sequence.
.mode list
.separator '' ''
SELECT CASE row_number() OVER bylast WHEN 1 THEN '[' ELSE ',' END || json_object(
  'id', id, 'name', name, 'ref_id', ref_id, 'status', status, 'users', users,
  'data_sources', data_sources, 'ai_trained', json(CASE WHEN ai_trained THEN 'true' ELSE 'false' END),
  'integrations', integrations, 'sessions_30d', sessions_30d, 'sessions_total', sessions_total,
  'last_active_at', last_active_at, 'created_at', created_at, 'license_status', 'none')
FROM org_status
WINDOW bylast AS (ORDER BY last_active_at, lower(name), seq)
ORDER BY last_active_at, lower(name), seq;
.print "]"
