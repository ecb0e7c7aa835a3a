-- `events import` on the counters-keeping SQLite: the feed, loaded into the
-- temporary table `feed` (staging.sql) in line order, is applied to the
-- counters in one transaction, set by set, with partnerctl's rules:
-- * an event whose id is stored, or came earlier in the same feed, is a
--   duplicate and changes nothing;
-- * sessions add to the total, the last activity and the session days;
-- * knowledge sources and integrations count up and down, floored at 0 (on
--   the batch's net change, which equals partnerctl's floor event by event
--   because the generated feed never takes a counter below zero);
-- * a person is a member after their latest member event in file order if
--   that is an add; users counts the members;
-- * a device is counted once, in the state of its latest event by time (the
--   later line wins a tie; an event older than the stored state is ignored);
-- * messages and contacts count up.
-- Events name orgs by ref; they are grouped by ref first, so each org is
-- looked up once per batch, not once per event. Unknown orgs' events are
-- ignored, where partnerctl refuses the whole feed: no validation is done
-- here (nor of types or times), which only makes this side's work lighter.
BEGIN;

CREATE TEMP TABLE fresh (
  seq INTEGER PRIMARY KEY, -- line number in the feed
  id TEXT NOT NULL UNIQUE, org TEXT NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, email TEXT, device TEXT
);
INSERT OR IGNORE INTO fresh (seq, id, org, type, at, email, device)
  SELECT f.rowid, f.id, f.org, f.type, f.at, f.email, f.device FROM feed f
  WHERE NOT EXISTS (SELECT 1 FROM event_ids e WHERE e.id = f.id)
  ORDER BY f.rowid;
INSERT INTO event_ids (id) SELECT id FROM fresh ORDER BY id;

-- Counters, per org.
CREATE TEMP TABLE delta AS
SELECT o.seq AS org, d.* FROM (
  SELECT org AS ref,
    sum(type = 'session.started') AS sessions,
    max(CASE WHEN type = 'session.started' THEN at END) AS last_at,
    sum(type = 'knowledge.added') - sum(type = 'knowledge.removed') AS knowledge_net,
    sum(type = 'integration.connected') - sum(type = 'integration.disconnected') AS integrations_net,
    max(type = 'ai.instructions.updated') AS ai,
    sum(type = 'message.sent') AS messages_new,
    sum(type = 'contact.created') AS contacts
  FROM fresh GROUP BY org
) d JOIN orgs o ON o.ref_id = d.ref;

UPDATE orgs SET
  sessions_total = sessions_total + d.sessions,
  last_active_at = CASE WHEN d.last_at > coalesce(last_active_at, '') THEN d.last_at ELSE last_active_at END,
  data_sources = max(0, data_sources + d.knowledge_net),
  integrations = max(0, integrations + d.integrations_net),
  ai_trained = max(ai_trained, d.ai),
  messages = messages + d.messages_new,
  subscribers = subscribers + d.contacts
FROM delta d WHERE orgs.seq = d.org;

-- Session days: those in the window, added; older ones of the orgs touched
-- dropped.
INSERT INTO session_days (org, day, n)
  SELECT o.seq, s.day, s.n FROM (
    SELECT org AS ref, unixepoch(at) / 86400 AS day, count(*) AS n FROM fresh
    WHERE type = 'session.started' AND at >= (SELECT window_start FROM clock)
    GROUP BY org, day
  ) s JOIN orgs o ON o.ref_id = s.ref
  WHERE true
  ON CONFLICT (org, day) DO UPDATE SET n = n + excluded.n;
DELETE FROM session_days
  WHERE org IN (SELECT org FROM delta) AND day < (SELECT first_day FROM clock);

-- Members: each person's latest member event of the batch decides.
CREATE TEMP TABLE member_last AS
SELECT o.seq AS org, m.email, m.type, m.at FROM (
  SELECT org AS ref, email, type, at, max(seq) FROM fresh
  WHERE type IN ('member.added', 'member.removed') GROUP BY org, email
) m JOIN orgs o ON o.ref_id = m.ref;
INSERT INTO members (org, email, role, joined_at)
  SELECT org, email, 'member', at FROM member_last WHERE type = 'member.added'
  ON CONFLICT DO NOTHING;
DELETE FROM members
  WHERE (org, email) IN (SELECT org, email FROM member_last WHERE type = 'member.removed');
UPDATE orgs SET users = (SELECT count(*) FROM members m WHERE m.org = orgs.seq)
  WHERE seq IN (SELECT org FROM member_last);

-- Devices: each device's latest event of the batch, by time then line,
-- replaces the stored state unless that is newer.
CREATE TEMP TABLE device_last AS
SELECT o.seq AS org, d.device, d.state, d.at FROM (
  SELECT org AS ref, device, substr(type, 8) AS state, at, max(at || printf('%012d', seq)) FROM fresh
  WHERE type LIKE 'device.%' GROUP BY org, device
) d JOIN orgs o ON o.ref_id = d.ref;
INSERT INTO devices (org, device, state, at)
  SELECT org, device, state, at FROM device_last WHERE true
  ON CONFLICT (org, device) DO UPDATE SET state = excluded.state, at = excluded.at
  WHERE excluded.at >= devices.at;
UPDATE orgs SET (devices_total, devices_registered, devices_onboarded, devices_provisioned) = (
    SELECT sum(state != 'removed'), sum(state = 'registered'), sum(state = 'onboarded'), sum(state = 'provisioned')
    FROM devices d WHERE d.org = orgs.seq)
  WHERE seq IN (SELECT org FROM device_last);

COMMIT;
