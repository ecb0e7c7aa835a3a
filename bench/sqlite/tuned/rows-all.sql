-- org_rows (status.sql) for every org, computed from the raw events: one
-- pass over all events grouped by org for the counters, one over the member
-- events for the users. The rules are those of health.sql (issue 6): a
-- person is a member when their latest member event is an add (latest: the
-- greatest time, then id, i.e. file order, as partnerctl applies them);
-- totals floored at 0, which equals partnerctl's floor event by event
-- because the generated feed never takes a counter below zero.
CREATE TEMP VIEW org_counters AS
SELECT org AS ref_id,
  sum(type = 'session.started') AS sessions_total,
  sum(type = 'session.started' AND at >= (SELECT window_start FROM clock)) AS sessions_30d,
  max(CASE WHEN type = 'session.started' THEN at END) AS last_active_at,
  max(0, sum(type = 'knowledge.added') - sum(type = 'knowledge.removed')) AS data_sources,
  max(0, sum(type = 'integration.connected') - sum(type = 'integration.disconnected')) AS integrations,
  max(type = 'ai.instructions.updated') AS ai_trained
FROM events GROUP BY org;

CREATE TEMP VIEW org_users AS
SELECT ref_id, count(*) AS users FROM (
  SELECT org AS ref_id, email, type, max(at || ' ' || id) AS latest
  FROM events WHERE type IN ('member.added', 'member.removed')
  GROUP BY org, email
) WHERE type = 'member.added' GROUP BY ref_id;

CREATE TEMP VIEW org_rows AS
SELECT o.seq, o.id, o.name, o.ref_id, o.created_at,
  coalesce(u.users, 0) AS users,
  coalesce(c.data_sources, 0) AS data_sources,
  coalesce(c.ai_trained, 0) AS ai_trained,
  coalesce(c.integrations, 0) AS integrations,
  coalesce(c.sessions_30d, 0) AS sessions_30d,
  coalesce(c.sessions_total, 0) AS sessions_total,
  c.last_active_at
FROM orgs o
LEFT JOIN org_counters c ON c.ref_id = o.ref_id
LEFT JOIN org_users u ON u.ref_id = o.ref_id;
