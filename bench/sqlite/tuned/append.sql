-- A feed imported into a file that has events already (the replay of the
-- same feed, the next day's feed): from the temporary table `feed`
-- (staging.sql), in line order; an id already stored is skipped as a
-- duplicate, through the unique index on events(id).
INSERT OR IGNORE INTO events (id, org, type, at, email, device)
  SELECT id, org, type, at, email, device FROM feed ORDER BY rowid;
