-- Connection settings of the tuned SQLite sides (tuned/, counters/), read
-- first by every sqlite3 command on them. The file's WAL mode is set once,
-- when it is made (tuned/schema.sql, counters/schema.sql): it persists.
-- synchronous=NORMAL in WAL mode syncs at checkpoints only, so a commit can
-- be lost in a power cut but the file stays consistent; 256 MB of page cache
-- (the default is 2 MB).
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -262144;
