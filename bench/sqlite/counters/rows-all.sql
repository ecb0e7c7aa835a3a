-- org_rows (status.sql) for every org, from the stored counters; sessions
-- in the 30-day window summed from the session days.
CREATE TEMP VIEW org_rows AS
SELECT o.seq, o.id, o.name, o.ref_id, o.created_at, o.users, o.data_sources, o.ai_trained, o.integrations,
  coalesce((SELECT sum(n) FROM session_days s
            WHERE s.org = o.seq AND s.day BETWEEN (SELECT first_day FROM clock) AND (SELECT today FROM clock)), 0) AS sessions_30d,
  o.sessions_total, o.last_active_at
FROM orgs o;
