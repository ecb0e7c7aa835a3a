-- After the first load of the events: the index that refuses a re-imported
-- event id, and the one that finds an org's events. One transaction.
BEGIN;
CREATE UNIQUE INDEX events_id ON events(id);
CREATE INDEX events_org ON events(org);
COMMIT;
