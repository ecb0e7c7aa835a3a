-- The SQLite side of bench/run.sh: the same orgs and events as partnerctl's
-- store, in the tables a user would make to answer the same questions.
CREATE TABLE orgs (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  ref_id     TEXT UNIQUE,
  created_at TEXT NOT NULL   -- RFC 3339 UTC, as in the events
);

-- One row per event of events.csv; `org` holds the org's ref_id, as in the feed.
CREATE TABLE events (
  id     TEXT PRIMARY KEY,   -- the feed's event id: a re-imported event is refused
  org    TEXT NOT NULL,
  type   TEXT NOT NULL,
  at     TEXT NOT NULL,
  email  TEXT,
  device TEXT
);
CREATE INDEX events_org ON events(org);

-- orgs.csv (name,ref_id) is loaded here first, then copied into orgs with
-- ids and creation times by load-orgs.sql.
CREATE TABLE orgs_csv (name TEXT, ref_id TEXT);
