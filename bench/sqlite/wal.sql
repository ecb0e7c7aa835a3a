-- Write-ahead logging, set once when the file is made (it persists). The
-- pragma answers with the new mode: not part of any answer.
.output /dev/null
PRAGMA journal_mode = WAL;
.output
