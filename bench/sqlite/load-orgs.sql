-- After `.import --skip 1 orgs.csv orgs_csv`: give the orgs the ids
-- partnerctl gives them, in file order after the admin org that `init`
-- created as org_000001 (so the first row is org_000002), and the creation
-- time partnerctl gives them (the pinned clock, @now); drop the staging
-- table and compact the file, so that the file's size afterwards is the
-- data's alone.
INSERT INTO orgs (id, name, ref_id, created_at)
  SELECT printf('org_%06d', rowid + 1), name, ref_id, @now FROM orgs_csv ORDER BY rowid;
DROP TABLE orgs_csv;
VACUUM;
