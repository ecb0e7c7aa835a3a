-- `orgs list -o json --fields` of the thirteen fields both sides model:
-- org_status in partnerctl's JSON off a terminal, byte for byte (compact,
-- one line, keys in its order), sorted by name ignoring case, then
-- sequence. An empty answer would print "]" where partnerctl prints "[]":
-- the benchmark's answers are never empty.
.mode list
.separator '' ''
SELECT CASE row_number() OVER byname WHEN 1 THEN '[' ELSE ',' END || json_object(
  'id', id, 'name', name, 'ref_id', ref_id, 'status', status, 'users', users,
  'data_sources', data_sources, 'ai_trained', json(CASE WHEN ai_trained THEN 'true' ELSE 'false' END),
  'integrations', integrations, 'sessions_30d', sessions_30d, 'sessions_total', sessions_total,
  'last_active_at', last_active_at, 'created_at', created_at, 'license_status', 'none')
FROM org_status
WINDOW byname AS (ORDER BY lower(name), seq)
ORDER BY lower(name), seq;
.print "]"
