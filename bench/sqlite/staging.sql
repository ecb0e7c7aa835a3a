-- Temporary tables `.import` loads: the orgs of orgs.csv and the events of a
-- feed (events.csv, daily.csv), rowid = line order. Temporary, so the file
-- holds the data alone.
CREATE TEMP TABLE orgs_csv (name TEXT, ref_id TEXT);
CREATE TEMP TABLE feed (id TEXT, org TEXT, type TEXT, at TEXT, email TEXT, device TEXT);
