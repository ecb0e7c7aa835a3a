-- The tuned SQLite: the raw data, as in schema.sql (issue 6), but set up the
-- way someone who tunes SQLite would: write-ahead logging (wal.sql), and no
-- index on the tables while they are loaded (orgs-load.sql and
-- tuned/index.sql build them after). Answers are computed from the raw
-- events at query time.
CREATE TABLE orgs (
  seq        INTEGER PRIMARY KEY, -- partnerctl's sequence: the id's number
  id         TEXT NOT NULL,
  name       TEXT NOT NULL,
  ref_id     TEXT,
  created_at TEXT NOT NULL        -- RFC 3339 UTC, as in the events
);

-- One row per event of the feed; `org` holds the org's ref_id, as in the feed.
CREATE TABLE events (
  id     TEXT NOT NULL,
  org    TEXT NOT NULL,
  type   TEXT NOT NULL,
  at     TEXT NOT NULL,
  email  TEXT,
  device TEXT
);
