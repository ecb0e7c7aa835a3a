-- org_rows (status.sql) for the orgs whose name or ref contains the search
-- text (clock.q, lower-cased), computed from their events only: found
-- through the index on events(org) (CROSS JOIN keeps the matched orgs the
-- outer loop: without statistics the planner would scan every event). Both
-- are kept in temporary tables, so each is computed once, not once per use.
-- Rules as in tuned/rows-all.sql.
CREATE TEMP TABLE matched AS
SELECT seq, id, name, ref_id, created_at FROM orgs
WHERE instr(lower(name), (SELECT q FROM clock)) > 0 OR instr(lower(ref_id), (SELECT q FROM clock)) > 0;

CREATE TEMP TABLE matched_events AS
SELECT e.org, e.id, e.type, e.at, e.email FROM matched m CROSS JOIN events e ON e.org = m.ref_id;

CREATE TEMP VIEW org_counters AS
SELECT org AS ref_id,
  sum(type = 'session.started') AS sessions_total,
  sum(type = 'session.started' AND at >= (SELECT window_start FROM clock)) AS sessions_30d,
  max(CASE WHEN type = 'session.started' THEN at END) AS last_active_at,
  max(0, sum(type = 'knowledge.added') - sum(type = 'knowledge.removed')) AS data_sources,
  max(0, sum(type = 'integration.connected') - sum(type = 'integration.disconnected')) AS integrations,
  max(type = 'ai.instructions.updated') AS ai_trained
FROM matched_events GROUP BY org;

CREATE TEMP VIEW org_users AS
SELECT ref_id, count(*) AS users FROM (
  SELECT org AS ref_id, email, type, max(at || ' ' || id) AS latest
  FROM matched_events WHERE type IN ('member.added', 'member.removed')
  GROUP BY org, email
) WHERE type = 'member.added' GROUP BY ref_id;

CREATE TEMP VIEW org_rows AS
SELECT m.seq, m.id, m.name, m.ref_id, m.created_at,
  coalesce(u.users, 0) AS users,
  coalesce(c.data_sources, 0) AS data_sources,
  coalesce(c.ai_trained, 0) AS ai_trained,
  coalesce(c.integrations, 0) AS integrations,
  coalesce(c.sessions_30d, 0) AS sessions_30d,
  coalesce(c.sessions_total, 0) AS sessions_total,
  c.last_active_at
FROM matched m
LEFT JOIN org_counters c ON c.ref_id = m.ref_id
LEFT JOIN org_users u ON u.ref_id = m.ref_id;
