-- `orgs import` on the tuned sides: after `.import --skip 1 orgs.csv
-- orgs_csv` into the temporary table of feed.sql, the orgs get the ids and
-- sequence numbers partnerctl gives them (org_000002 onwards, after the admin
-- org `init` made) and its creation time (the pinned clock); the indexes
-- are built after the load. A ref that is not unique fails the index, and
-- the transaction with it: all or nothing, as partnerctl.
BEGIN;
INSERT INTO orgs (seq, id, name, ref_id, created_at)
  SELECT rowid + 1, printf('org_%06d', rowid + 1), name, ref_id, @now FROM orgs_csv ORDER BY rowid;
CREATE UNIQUE INDEX orgs_ref ON orgs(ref_id);
-- The default order of every list: name ignoring case, then sequence.
CREATE INDEX orgs_name ON orgs(lower(name), seq);
COMMIT;
