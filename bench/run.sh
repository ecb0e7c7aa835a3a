#!/usr/bin/env bash
# partnerctl at partner scale, against SQLite on the same data (issue 6).
#
#   bench/run.sh [ORGS [EVENTS [RUNS]]]     defaults: 100000 1000000 5
#
# Builds partnerctl and bench/gen, writes deterministic data sets to
# $BENCH_DIR (default /tmp/partnerctl-bench; reused when present), installs
# sqlite3 from Debian's packages when missing, runs every measurement RUNS
# times and prints medians: whole-process wall time, peak RSS, file sizes,
# ratios and each target with PASS or FAIL. Exit status 1 when a target fails.
set -euo pipefail
cd "$(dirname "$0")/.."

ORGS=${1:-100000}
EVENTS=${2:-1000000}
RUNS=${3:-5}
SEARCH=${BENCH_SEARCH:-acme}
NOW=2026-11-23T12:00:00Z
DIR=${BENCH_DIR:-/tmp/partnerctl-bench}
mkdir -p "$DIR/bin"

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "installing sqlite3 (Debian package)…" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq sqlite3 >/dev/null
fi

go build -o "$DIR/bin/partnerctl" ./cmd/partnerctl
go build -o "$DIR/bin/gen" ./bench/gen
PC="$DIR/bin/partnerctl"
GEN="$DIR/bin/gen"
export PARTNERCTL_NOW=$NOW NO_COLOR=1

data() { # data ORGS EVENTS → folder with the data set
  local d="$DIR/data-$1-$2"
  if [ ! -f "$d/.done" ]; then
    "$GEN" -orgs "$1" -events "$2" -out "$d" -now "$NOW"
    touch "$d/.done"
  fi
  echo "$d"
}

# A store with the orgs of data set $1 imported, copied fresh per run; kept
# per partnerctl build, since a store is only sure to suit the build that made it.
BUILD=$(sha1sum "$PC" | cut -c1-12)
orgs_store() {
  local d=$1 s="$1/orgs-$BUILD.db"
  if [ ! -f "$s" ]; then
    PARTNERCTL_DB="$s.tmp" "$PC" init --partner-name "Bench Partners" --support-email help@bench.example \
      --admin-org "Bench HQ" --admin-email admin@bench.example >/dev/null 2>&1
    PARTNERCTL_DB="$s.tmp" "$PC" orgs import "$d/orgs.csv" >/dev/null 2>&1
    mv "$s.tmp" "$s"
  fi
  echo "$s"
}

# measure OUT -- CMD…: runs CMD with stdout to OUT, prints "seconds rss_kb".
measure() {
  local out=$1; shift; shift
  "$GEN" measure -- "$@" 3>&1 >"$out" 2>/dev/null
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# runs N LABEL SETUP -- CMD…: median seconds and RSS of N runs; SETUP runs before each.
runs() {
  local n=$1 setup=$2; shift 3
  local t r
  : >"$DIR/times"; : >"$DIR/rss"
  for _ in $(seq "$n"); do
    eval "$setup"
    read -r t r < <(measure "$DIR/out" -- "$@")
    echo "$t" >>"$DIR/times"; echo "$r" >>"$DIR/rss"
  done
  echo "$(median <"$DIR/times") $(median <"$DIR/rss")"
}

D=$(data "$ORGS" "$EVENTS")
ORGSDB=$(orgs_store "$D")
DB="$DIR/p.db"
SQ="$DIR/s.db"
SQL_EVENTS="CREATE TABLE events(id TEXT NOT NULL UNIQUE, org TEXT NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, email TEXT, device TEXT);
CREATE INDEX events_org ON events(org);"
SQL_ORGS="CREATE TABLE orgs(id TEXT PRIMARY KEY, name TEXT NOT NULL, ref_id TEXT UNIQUE, created_at TEXT NOT NULL);"

echo "data: $ORGS orgs, $EVENTS events in $D; $RUNS runs each; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 1. events import into a fresh store (the orgs already there) vs sqlite3 .import of the CSV.
read -r ev_t ev_rss < <(runs "$RUNS" "cp $ORGSDB $DB" -- env PARTNERCTL_DB="$DB" "$PC" events import "$D/events.jsonl")
cp "$ORGSDB" "$DB"; PARTNERCTL_DB="$DB" "$PC" events import "$D/events.jsonl" 2>/dev/null
read -r sq_t sq_rss < <(runs "$RUNS" "rm -f $SQ; sqlite3 $SQ \"$SQL_EVENTS\"" -- sqlite3 "$SQ" -cmd ".mode csv" ".import $D/events.csv events")
# Memory flat as the file grows: the same import of the first quarter and
# the first half of the feed. Memory growing with the input would make the
# full feed need four times the quarter's; flat means at most 25% more.
head -n $((EVENTS / 4)) "$D/events.jsonl" >"$DIR/quarter.jsonl"
head -n $((EVENTS / 2)) "$D/events.jsonl" >"$DIR/half.jsonl"
read -r _ quarter_rss < <(runs 1 "cp $ORGSDB $DIR/h.db" -- env PARTNERCTL_DB="$DIR/h.db" "$PC" events import "$DIR/quarter.jsonl")
read -r _ half_rss < <(runs 1 "cp $ORGSDB $DIR/h.db" -- env PARTNERCTL_DB="$DIR/h.db" "$PC" events import "$DIR/half.jsonl")

# The SQLite file with the same data: both tables.
sqlite3 "$SQ" "$SQL_ORGS" ".mode csv" ".import $D/orgs_sql.csv orgs"
bolt_size=$(stat -c %s "$DB"); sq_size=$(stat -c %s "$SQ")

# 2. orgs list --search over every org, health computed; SQLite computes the
# same columns from the raw events at query time.
since30=$(date -u -d "$NOW - 29 days" +%Y-%m-%dT00:00:00Z)
since30h=$(date -u -d "$NOW - 30 days" +%Y-%m-%dT%H:%M:%SZ)
since7=$(date -u -d "$NOW - 7 days" +%Y-%m-%dT%H:%M:%SZ)
Q=$(tr 'A-Z' 'a-z' <<<"$SEARCH")
SQL_LIST="WITH m AS (SELECT * FROM orgs WHERE lower(name) LIKE '%$Q%' OR lower(ref_id) LIKE '%$Q%'),
ev AS (SELECT m.id AS oid, e.type, e.at, e.email FROM m JOIN events e ON e.org = m.id
       UNION ALL SELECT m.id, e.type, e.at, e.email FROM m JOIN events e ON e.org = m.ref_id),
agg AS (SELECT oid,
  sum(type = 'session.started') AS sessions_total,
  sum(type = 'session.started' AND at >= '$since30') AS sessions_30d,
  max(CASE WHEN type = 'session.started' THEN at END) AS last_active_at,
  max(0, sum(type = 'knowledge.added') - sum(type = 'knowledge.removed')) AS data_sources,
  max(0, sum(type = 'integration.connected') - sum(type = 'integration.disconnected')) AS integrations,
  max(type = 'ai.instructions.updated') AS ai_trained
  FROM ev GROUP BY oid),
mem AS (SELECT oid, count(*) AS users FROM (
  SELECT oid, email, max(CASE WHEN type = 'member.added' THEN at END) AS a, max(CASE WHEN type = 'member.removed' THEN at END) AS r
  FROM ev WHERE type IN ('member.added', 'member.removed') GROUP BY oid, email)
  WHERE a IS NOT NULL AND (r IS NULL OR a > r) GROUP BY oid)
SELECT m.id, m.name, m.ref_id,
  CASE WHEN m.created_at > '$since7' AND agg.last_active_at IS NULL THEN 'new'
       WHEN coalesce(agg.data_sources, 0) = 0 AND coalesce(agg.integrations, 0) = 0 THEN 'setup_incomplete'
       WHEN agg.last_active_at IS NULL OR agg.last_active_at <= '$since30h' THEN 'inactive'
       ELSE 'healthy' END AS status,
  coalesce(mem.users, 0) AS users, coalesce(agg.data_sources, 0) AS data_sources,
  coalesce(agg.ai_trained, 0) = 1 AS ai_trained, coalesce(agg.integrations, 0) AS integrations,
  coalesce(agg.sessions_30d, 0) AS sessions_30d, coalesce(agg.sessions_total, 0) AS sessions_total,
  agg.last_active_at, m.created_at
FROM m LEFT JOIN agg ON agg.oid = m.id LEFT JOIN mem ON mem.oid = m.id
ORDER BY lower(m.name), m.id;"
read -r ls_t ls_rss < <(runs "$RUNS" ":" -- env PARTNERCTL_DB="$DB" "$PC" orgs list --search "$SEARCH" -o json)
pc_rows=$(grep -c '"id"' "$DIR/out" || true)
PARTNERCTL_DB="$DB" "$PC" orgs list --search "$SEARCH" -o json --fields id >"$DIR/pc_ids.json"
read -r lq_t lq_rss < <(runs "$RUNS" ":" -- sqlite3 -json "$SQ" "$SQL_LIST")
sq_rows=$(grep -c '"id"' "$DIR/out" || true)
same_ids=no
if [ "$(grep -o 'org_[0-9]*' "$DIR/pc_ids.json" | tr '\n' ' ')" = "$(grep -o '"id":"org_[0-9]*' "$DIR/out" | cut -d'"' -f4 | tr '\n' ' ')" ]; then same_ids=yes; fi

# 3. First page at 10k, 100k and 1M orgs.
page() {
  local s; s=$(orgs_store "$(data "$1" 0)")
  runs "$RUNS" ":" -- env PARTNERCTL_DB="$s" "$PC" orgs list --per-page 25 --page 1 -o json
}
read -r p10_t _ < <(page 10000)
read -r p100_t _ < <(page 100000)
read -r p1m_t _ < <(page 1000000)

# 4. orgs import of the orgs CSV into a fresh store.
read -r oi_t oi_rss < <(runs "$RUNS" "rm -f $DIR/o.db; PARTNERCTL_DB=$DIR/o.db $PC init --partner-name B --support-email h@b.example --admin-org HQ --admin-email a@b.example >/dev/null 2>&1" \
  -- env PARTNERCTL_DB="$DIR/o.db" "$PC" orgs import "$D/orgs.csv")

fail=0
verdict() { if awk "BEGIN {exit !($1)}"; then echo PASS; else echo FAIL; fail=1; fi; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b / 1048576}'; }
kb() { awk -v k="$1" 'BEGIN {printf "%.0f MB", k / 1024}'; }
s() { awk -v t="$1" 'BEGIN {printf (t < 1 ? "%.0f ms" : "%.2f s"), (t < 1 ? t * 1000 : t)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

printf '\n%-40s %12s %12s %7s  %-24s %s\n' "measure ($ORGS orgs, $EVENTS events)" partnerctl sqlite3 ratio target result
row() { printf '%-40s %12s %12s %7s  %-24s %s\n' "$@"; }
row "events import (wall)" "$(s "$ev_t")" "$(s "$sq_t")" "$(ratio "$ev_t" "$sq_t")" "ratio <= 0.50" "$(verdict "$ev_t <= 0.5 * $sq_t")"
row "events import (peak RSS)" "$(kb "$ev_rss")" "$(kb "$sq_rss")" "" "<= 256 MB" "$(verdict "$ev_rss <= 262144")"
row "  RSS at 1/4, 1/2 of the feed" "$(kb "$quarter_rss"), $(kb "$half_rss")" "" "" "flat: full <= 1/4 + 25%" "$(verdict "$ev_rss <= 1.25 * $quarter_rss")"
row "orgs list --search $SEARCH -o json" "$(s "$ls_t")" "$(s "$lq_t")" "$(ratio "$ls_t" "$lq_t")" "ratio <= 0.20" "$(verdict "$ls_t <= 0.2 * $lq_t")"
row "  rows (same ids, same order: $same_ids)" "$pc_rows" "$sq_rows" "" "" ""
row "first page, 10k orgs" "$(s "$p10_t")" "" "" "<= 100 ms" "$(verdict "$p10_t <= 0.1")"
row "first page, 100k orgs" "$(s "$p100_t")" "" "" "<= 100 ms" "$(verdict "$p100_t <= 0.1")"
row "first page, 1M orgs" "$(s "$p1m_t")" "" "" "flat: <= 2x the 10k" "$(verdict "$p1m_t <= 0.1 && $p1m_t <= 2 * $p10_t + 0.005")"
row "file size (orgs + events)" "$(mb "$bolt_size")" "$(mb "$sq_size")" "$(ratio "$bolt_size" "$sq_size")" "ratio <= 1.00" "$(verdict "$bolt_size <= $sq_size")"
row "orgs import ($ORGS rows)" "$(s "$oi_t")" "" "" "<= 2 s" "$(verdict "$oi_t <= 2")"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $fail
