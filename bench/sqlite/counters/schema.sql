-- The counters-keeping SQLite: what partnerctl keeps, in tables, so that
-- lists, search and stats answer from per-org counters instead of raw
-- events. The events themselves are not kept, only their ids (to skip
-- duplicates), the members and device states the rules need, and sessions
-- per day for the 30-day window, pruned to that window as they are written.
-- Write-ahead logging (wal.sql); the orgs' indexes are built after the
-- load (orgs-load.sql).
CREATE TABLE orgs (
  seq            INTEGER PRIMARY KEY, -- partnerctl's sequence: the id's number
  id             TEXT NOT NULL,
  name           TEXT NOT NULL,
  ref_id         TEXT,
  created_at     TEXT NOT NULL,       -- RFC 3339 UTC, as in the events
  users          INTEGER NOT NULL DEFAULT 0,
  data_sources   INTEGER NOT NULL DEFAULT 0,
  ai_trained     INTEGER NOT NULL DEFAULT 0,
  integrations   INTEGER NOT NULL DEFAULT 0,
  sessions_total INTEGER NOT NULL DEFAULT 0,
  last_active_at TEXT,
  messages       INTEGER NOT NULL DEFAULT 0,
  subscribers    INTEGER NOT NULL DEFAULT 0,
  devices_total       INTEGER NOT NULL DEFAULT 0,
  devices_registered  INTEGER NOT NULL DEFAULT 0,
  devices_onboarded   INTEGER NOT NULL DEFAULT 0,
  devices_provisioned INTEGER NOT NULL DEFAULT 0
);

-- Sessions per org and UTC day (days since the Unix epoch), only the days
-- of the last 30 at the time of the import: older ones can never count
-- again.
CREATE TABLE session_days (
  org INTEGER NOT NULL,
  day INTEGER NOT NULL,
  n   INTEGER NOT NULL,
  PRIMARY KEY (org, day)
) WITHOUT ROWID;

-- The org's customer team: one row per member.
CREATE TABLE members (
  org       INTEGER NOT NULL,
  email     TEXT NOT NULL,
  role      TEXT NOT NULL,
  joined_at TEXT NOT NULL,
  PRIMARY KEY (org, email)
) WITHOUT ROWID;

-- Each device once, in its latest state (removed ones stay, uncounted, so
-- an older event arriving later is still recognised as older).
CREATE TABLE devices (
  org    INTEGER NOT NULL,
  device TEXT NOT NULL,
  state  TEXT NOT NULL,
  at     TEXT NOT NULL,
  PRIMARY KEY (org, device)
) WITHOUT ROWID;

-- Every imported event id: a re-imported event is skipped as a duplicate.
CREATE TABLE event_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
