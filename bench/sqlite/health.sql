-- `partnerctl orgs list --search @q -o json` in SQL, computed from the raw
-- events at query time: the orgs whose name or ref_id contains @q (case-
-- insensitive, literally), each with the columns partnerctl prints and its
-- status by the rules of SPEC §4, sorted by name (case-insensitive), then id.
--
-- Parameters: @q, the search text; @now, the pinned clock (RFC 3339 UTC).
-- Times are RFC 3339 UTC text throughout, so comparing them as text compares
-- them as times.
WITH
matched AS (
  SELECT id, name, ref_id, created_at FROM orgs
  WHERE instr(lower(name), lower(@q)) > 0 OR instr(lower(ref_id), lower(@q)) > 0
),
-- The matched orgs' events, found through the index on events(org).
ev AS (
  SELECT m.id AS org_id, e.id, e.type, e.at, e.email
  FROM matched m JOIN events e ON e.org = m.ref_id
),
counters AS (
  SELECT org_id,
    sum(type = 'session.started') AS sessions_total,
    -- Sessions of the last 30 UTC days, today included (SPEC §4 allows
    -- bucketing by day; partnerctl does).
    sum(type = 'session.started' AND at >= (date(@now, '-29 days') || 'T00:00:00Z')) AS sessions_30d,
    max(CASE WHEN type = 'session.started' THEN at END) AS last_active_at,
    max(0, sum(type = 'knowledge.added') - sum(type = 'knowledge.removed')) AS data_sources,
    max(0, sum(type = 'integration.connected') - sum(type = 'integration.disconnected')) AS integrations,
    max(type = 'ai.instructions.updated') AS ai_trained
  FROM ev GROUP BY org_id
),
-- A person is a member when their latest member event is an add. partnerctl
-- applies events in file order; the feed is in time order with ids numbered
-- in file order (fixed width), so "latest" is the greatest at, then id.
-- (SQLite takes the bare column `type` from the row holding the max.)
latest_member_event AS (
  SELECT org_id, email, type, max(at || ' ' || id) AS latest
  FROM ev WHERE type IN ('member.added', 'member.removed')
  GROUP BY org_id, email
),
members AS (
  SELECT org_id, count(*) AS users
  FROM latest_member_event WHERE type = 'member.added'
  GROUP BY org_id
)
SELECT
  m.id,
  m.name,
  m.ref_id,
  CASE
    WHEN m.created_at > strftime('%Y-%m-%dT%H:%M:%SZ', @now, '-7 days')
         AND c.last_active_at IS NULL THEN 'new'
    WHEN coalesce(c.data_sources, 0) = 0 AND coalesce(c.integrations, 0) = 0 THEN 'setup_incomplete'
    WHEN c.last_active_at IS NULL
         OR c.last_active_at <= strftime('%Y-%m-%dT%H:%M:%SZ', @now, '-30 days') THEN 'inactive'
    ELSE 'healthy'
  END AS status,
  coalesce(u.users, 0) AS users,
  coalesce(c.data_sources, 0) AS data_sources,
  coalesce(c.ai_trained, 0) AS ai_trained,
  coalesce(c.integrations, 0) AS integrations,
  coalesce(c.sessions_30d, 0) AS sessions_30d,
  coalesce(c.sessions_total, 0) AS sessions_total,
  c.last_active_at,
  m.created_at,
  'none' AS license_status
FROM matched m
LEFT JOIN counters c ON c.org_id = m.id
LEFT JOIN members u ON u.org_id = m.id
ORDER BY lower(m.name), m.id;
