#!/usr/bin/env bash
# partnerctl at partner scale, against SQLite on the same data (issue 6).
#
#   bash bench/run.sh              # 100,000 orgs, 1,000,000 events, 3 runs
#   QUICK=1 bash bench/run.sh      # small sizes, 1 run: a smoke test (< 1 min)
#
# Then bench/pg.sh measures partnerctl on PostgreSQL against bbolt on the
# same data (PG=0 skips it).
#
# Settings (environment): ORGS, EVENTS, RUNS, PAGE_SIZES (org counts of the
# first-page check), PAGE_RUNS, SEARCH (the search text), SEED, BENCH_DIR
# (scratch folder, default /tmp/partnerctl-bench; every store and data set in
# it is rewritten).
#
# Builds partnerctl and bench/gen, generates the data, runs every measurement
# RUNS times (partnerctl and SQLite alternating, so both see the same machine)
# and prints the medians as a markdown table, also written to
# $BENCH_DIR/results.md. Times are whole-process wall times (the shell's
# clock around the command); memory is the peak RSS from /usr/bin/time.
#
# Exit status: 0 every target met, 1 a target missed (or the two search
# answers differ), 2 partnerctl could not be built or run (the SQLite side is
# still measured and printed) or the benchmark itself failed (a tool missing,
# sqlite3 or the generator failing). The targets are issue 6's, set for
# 100,000 orgs and 1,000,000 events: at other sizes (QUICK=1 among them) the
# verdicts are only indicative and a FAIL, so status 1, is to be expected.
# What each row means: bench/README.md.
set -Eeuo pipefail
trap 'echo "bench: failed (status $?) at line $LINENO: $BASH_COMMAND" >&2; exit 2' ERR
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${QUICK:-0}" = 1 ]; then
  ORGS=${ORGS:-2000} EVENTS=${EVENTS:-20000} RUNS=${RUNS:-1}
  PAGE_SIZES=${PAGE_SIZES:-"1000 2000 10000"}
else
  ORGS=${ORGS:-100000} EVENTS=${EVENTS:-1000000} RUNS=${RUNS:-3}
  PAGE_SIZES=${PAGE_SIZES:-"10000 100000 1000000"}
fi
SEARCH=${SEARCH:-acme}
SEED=${SEED:-42}
WORK=${BENCH_DIR:-/tmp/partnerctl-bench}
NOW=2026-11-23T12:00:00Z
SQL=bench/sqlite

# Targets.
IMPORT_RATIO_MAX=0.50 # events import: at most half of SQLite's time
RSS_MAX_KB=262144     # events import: peak RSS at most 256 MB
RSS_GROWTH_MAX=1.25   # ... and flat: the whole feed needs at most 25% more than its first quarter
SEARCH_RATIO_MAX=0.20 # orgs list --search: at most a fifth of SQLite's time
PAGE_MAX_S=0.100      # first page: at most 100 ms ...
PAGE_GROWTH_MAX_S=0.020 # ... and flat: the largest store at most 20 ms slower than the smallest
ORGS_IMPORT_MAX_S=2   # orgs import of 100,000 rows

# Every partnerctl command names its store with --db; the clock is pinned and
# the output plain whatever the caller's environment says.
export PARTNERCTL_NOW=$NOW PARTNERCTL_USER=admin@bench.test NO_COLOR=1
unset PARTNERCTL_DB PARTNERCTL_FORCE_TTY

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

# The search text goes into SQL and sqlite3 dot-command arguments, and both
# sides must fold its case alike: ASCII letters, digits, space, - and _ only.
case $SEARCH in
  '' | *[!A-Za-z0-9\ _-]*) die "SEARCH=\"$SEARCH\": use ASCII letters, digits, space, - or _" ;;
esac
for v in ORGS EVENTS RUNS SEED; do
  case ${!v} in '' | *[!0-9]*) die "$v=\"${!v}\" is not a whole number" ;; esac
done
PAGE_RUNS=${PAGE_RUNS:-$((RUNS < 5 ? 5 : RUNS))} # a few ms each: more runs are cheap
case $PAGE_RUNS in '' | *[!0-9]*) die "PAGE_RUNS=\"$PAGE_RUNS\" is not a whole number" ;; esac
for size in $PAGE_SIZES; do
  case $size in '' | *[!0-9]* | 0) die "PAGE_SIZES=\"$PAGE_SIZES\": org counts, smallest first" ;; esac
done
[ -n "${PAGE_SIZES// /}" ] || die "PAGE_SIZES is empty"
if [ "$ORGS" -lt 1 ] || [ "$EVENTS" -lt 4 ] || [ "$RUNS" -lt 1 ] || [ "$PAGE_RUNS" -lt 1 ]; then
  die "need ORGS >= 1, EVENTS >= 4, RUNS >= 1 and PAGE_RUNS >= 1"
fi

# --- tools ------------------------------------------------------------------

command -v go >/dev/null 2>&1 || die "go is not on PATH: it builds partnerctl and the data generator"
missing=()
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian packages)…"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# .import --skip needs sqlite3 3.32 or later.
sqlite_version=$(sqlite3 --version | cut -d' ' -f1)
if [ "$(printf '%s\n3.32.0\n' "$sqlite_version" | sort -V | head -n1)" != 3.32.0 ]; then
  die "sqlite3 $sqlite_version is too old: .import --skip needs 3.32 or later"
fi

mkdir -p "$WORK"
rm -rf "${WORK:?}/m" && mkdir -p "$WORK/m"

go build -o "$WORK/gen" ./bench/gen
PC="$WORK/partnerctl"
PC_OK=1    # 0 once partnerctl failed to build or a command of it failed
PC_ERR=""  # why
if ! go build -o "$PC" ./cmd/partnerctl 2>"$WORK/build.log"; then
  PC_OK=0 PC_ERR="partnerctl did not build (go build ./cmd/partnerctl; log in $WORK/build.log)"
  say "bench: $PC_ERR"
  sed 's/^/    /' "$WORK/build.log" | head -n 20 >&2
  say "bench: measuring the SQLite side only"
fi

# --- helpers ----------------------------------------------------------------

# measure OUT CMD…: runs CMD once, stdout to OUT, stderr to $WORK/stderr;
# sets T (wall seconds) and RSS (peak resident set, KB). Returns CMD's status.
# The clock is bash's $EPOCHREALTIME where there is one (bash 5): reading it
# forks nothing, so only /usr/bin/time's own start (about 1 ms) is added to
# the command's time.
measure() {
  local out=$1 t0 t1 status=0
  shift
  t0=${EPOCHREALTIME:-$(date +%s.%N)}
  /usr/bin/time -f %M -o "$WORK/rss" "$@" >"$out" 2>"$WORK/stderr" || status=$?
  t1=${EPOCHREALTIME:-$(date +%s.%N)}
  T=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.4f", b - a }')
  RSS=$(tail -n 1 "$WORK/rss") # time puts "Command exited with…" first on a failure
  return "$status"
}

# record NAME VALUE: one sample of a metric. median NAME: their median, or "".
record() { echo "$2" >>"$WORK/m/$1"; }
median() {
  [ -s "$WORK/m/$1" ] || return 0
  sort -g "$WORK/m/$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pc_step NAME OUT ARGS…: one measured partnerctl command; a failure stops
# the partnerctl side with the command's last words.
pc_step() {
  local name=$1 out=$2
  shift 2
  [ "$PC_OK" = 1 ] || return 1
  if ! measure "$out" "$PC" "$@"; then
    PC_OK=0 PC_ERR="\`partnerctl $*\` failed: $(tail -n 3 "$WORK/stderr" | tr '\n' ' ')"
    say "bench: $PC_ERR"
    return 1
  fi
  [ -z "$name" ] || { record "$name" "$T"; record "$name.rss" "$RSS"; }
}

# pc_store DB ORGS_CSV [METRIC]: a fresh store with the partner set up and
# the orgs imported; the import's time is recorded as METRIC when given.
pc_store() {
  rm -f "$1"
  pc_step "" /dev/null init --db "$1" --partner-name Bench --support-email ops@bench.test \
    --admin-org "Bench HQ" --admin-email admin@bench.test &&
    pc_step "${3:-}" /dev/null --db "$1" orgs import "$2"
}

# sq_store DB: a fresh SQLite file with the schema and the orgs (not timed).
sq_store() {
  rm -f "$1"
  sqlite3 "$1" ".read $SQL/schema.sql" ".mode csv" ".import --skip 1 \"$DATA/orgs.csv\" orgs_csv" \
    ".parameter set @now \"'$NOW'\"" ".read $SQL/load-orgs.sql"
}

# health.sql for $SEARCH, as sqlite3 arguments after the file name. The
# values are SQL literals, quotes doubled, so they are always text.
SQ_QUERY=(".parameter set @now \"'$NOW'\"" ".parameter set @q \"'${SEARCH//\'/\'\'}'\"" ".read $SQL/health.sql")

# --- data -------------------------------------------------------------------

DATA="$WORK/data"
say "generating $ORGS orgs and $EVENTS events (seed $SEED) in $DATA…"
"$WORK/gen" -orgs "$ORGS" -events "$EVENTS" -seed "$SEED" -now "$NOW" -out "$DATA"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the main runs: import, search, first page, sizes ---------------------------

for run in $(seq "$RUNS"); do
  say "run $run of $RUNS…"
  db="$WORK/run$run.db"
  if pc_store "$db" "$DATA/orgs.csv" orgs_import &&
    pc_step events_import /dev/null --db "$db" events import "$DATA/events.jsonl" &&
    pc_step search "$WORK/pc_search.json" --db "$db" orgs list --search "$SEARCH" -o json &&
    pc_step page_full /dev/null --db "$db" orgs list --per-page 25 --page 1; then
    record bolt_bytes "$(stat -c %s "$db")"
    if [ "$run" = 1 ]; then # the answer, for the comparison below
      "$PC" --db "$db" orgs list --search "$SEARCH" -o csv \
        --fields id,name,ref_id,status,users,data_sources,ai_trained,integrations,sessions_30d,sessions_total,last_active_at,created_at,license_status \
        >"$WORK/pc_search.csv" || true
    fi
  fi
  rm -f "$db"

  sq_store "$WORK/sq.db"
  measure /dev/null sqlite3 "$WORK/sq.db" ".mode csv" ".import --skip 1 \"$DATA/events.csv\" events" ||
    die "sqlite3 .import failed: $(cat "$WORK/stderr")"
  record sq_import "$T"
  record sq_import.rss "$RSS"
  record sq_bytes "$(stat -c %s "$WORK/sq.db")"
  measure "$WORK/sq_search.json" sqlite3 -json "$WORK/sq.db" "${SQ_QUERY[@]}" || die "health.sql failed: $(cat "$WORK/stderr")"
  record sq_search "$T"
done

# Both answers, row by row: same ids, order, status and counters.
# sqlite3's list mode, not its CSV mode, which quotes every text with a space
# in it and ends rows with CRLF; no value here holds a comma or a quote, so
# encoding/csv writes them plainly.
sqlite3 -list -separator , -header "$WORK/sq.db" "${SQ_QUERY[@]}" >"$WORK/sq_search.csv"
search_rows_sq=$(($(wc -l <"$WORK/sq_search.csv") - 1))
search_rows_pc=""
same_answer=""
if [ -s "$WORK/pc_search.csv" ]; then
  search_rows_pc=$(($(wc -l <"$WORK/pc_search.csv") - 1))
  # partnerctl writes booleans as true/false, sqlite3 as 1/0.
  if sed -e 's/,true,/,1,/' -e 's/,false,/,0,/' "$WORK/pc_search.csv" | cmp -s - "$WORK/sq_search.csv"; then
    same_answer=yes
  else
    same_answer=no
    say "bench: the two answers differ; compare $WORK/pc_search.csv and $WORK/sq_search.csv"
  fi
fi

# --- memory as the feed grows: the first quarter, the first half -------------

if [ "$PC_OK" = 1 ]; then
  for part in 4 2; do
    n=$((EVENTS / part))
    say "events import of the first $n events…"
    head -n "$n" "$DATA/events.jsonl" >"$WORK/part.jsonl"
    db="$WORK/part.db"
    if pc_store "$db" "$DATA/orgs.csv"; then
      pc_step "events_import_1_$part" /dev/null --db "$db" events import "$WORK/part.jsonl" || true
    fi
    rm -f "$db" "$WORK/part.jsonl"
  done
fi

# --- first page at several store sizes ------------------------------------------

if [ "$PC_OK" = 1 ]; then
  for size in $PAGE_SIZES; do
    say "first page at $size orgs…"
    "$WORK/gen" -orgs "$size" -events 0 -seed "$SEED" -now "$NOW" -out "$WORK/data-$size"
    db="$WORK/page.db"
    pc_store "$db" "$WORK/data-$size/orgs.csv" || break
    for _ in $(seq "$PAGE_RUNS"); do
      pc_step "page_$size" /dev/null --db "$db" orgs list --per-page 25 --page 1 || break 2
    done
    rm -rf "$db" "$WORK/data-$size"
  done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -----------------------------------------------------------------

# verdict EXPR: PASS when the awk expression holds, FAIL when not, n/a when
# a value is missing (EXPR then has an empty operand and does not parse).
verdict() {
  local v
  if ! v=$(awk "BEGIN { print ($1) ? 1 : 0 }" 2>/dev/null) || [ -z "$v" ]; then
    echo "n/a"
  elif [ "$v" = 1 ]; then
    echo PASS
  else
    echo FAIL
  fi
}
# Formats; "—" for a missing value.
secs() {
  if [ -z "$1" ]; then echo "—"; return; fi
  awk -v t="$1" 'BEGIN { if (t < 1) printf "%.0f ms", t * 1000; else printf "%.2f s", t }'
}
mb() {
  if [ -z "$1" ]; then echo "—"; return; fi
  awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'
}
kb() {
  if [ -z "$1" ]; then echo "—"; return; fi
  awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'
}
ratio() {
  if [ -z "$1" ] || [ -z "$2" ]; then echo "—"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) printf "—"; else printf "%.2f", a / b }'
}
count() { # 250000 → 250k
  awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6; else if (n >= 1000 && n % 1000 == 0) printf "%dk", n / 1000; else printf "%d", n }'
}
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }

ev=$(median events_import) ev_rss=$(median events_import.rss)
q_rss=$(median events_import_1_4.rss) h_rss=$(median events_import_1_2.rss)
sq=$(median sq_import) sq_rss=$(median sq_import.rss)
se=$(median search) sq_se=$(median sq_search)
bolt=$(median bolt_bytes) sqb=$(median sq_bytes)
oi=$(median orgs_import)
read -r -a sizes <<<"$PAGE_SIZES"
smallest=${sizes[0]} largest=${sizes[${#sizes[@]} - 1]}
p_small=$(median "page_$smallest") p_large=$(median "page_$largest") p_fullstore=$(median page_full)
p_max=""
for size in $PAGE_SIZES; do
  p=$(median "page_$size")
  [ -z "$p" ] || p_max=$(awk -v a="$p" -v b="${p_max:-0}" 'BEGIN { print (a > b) ? a : b }')
done

{
  echo "partnerctl bench: $(count "$ORGS") orgs, $(count "$EVENTS") events, seed $SEED; medians of $RUNS runs (first page: $PAGE_RUNS)"
  echo "$(nproc) CPUs, sqlite3 $sqlite_version, $(go version | cut -d' ' -f3), commit $(git describe --always --dirty 2>/dev/null || echo '?'); load average before $load_before, after $load_after"
  if [ "$ORGS" != 100000 ] || [ "$EVENTS" != 1000000 ] || [ "$PAGE_SIZES" != "10000 100000 1000000" ]; then
    echo "(not issue 6's sizes, 100k orgs, 1M events, first page at 10k/100k/1M orgs: the targets are set for those, so these verdicts are only indicative)"
  fi
  echo
  row metric partnerctl sqlite ratio target result
  row --- ---: ---: ---: --- ---
  row "events import, $(count "$EVENTS") events (wall)" "$(secs "$ev")" "$(secs "$sq")" "$(ratio "$ev" "$sq")" "≤ $IMPORT_RATIO_MAX × SQLite" \
    "$(verdict "$ev <= $IMPORT_RATIO_MAX * $sq")"
  row "events import, peak RSS" "$(kb "$ev_rss")" "$(kb "$sq_rss")" "" "≤ 256 MB" "$(verdict "$ev_rss <= $RSS_MAX_KB")"
  row "events import, peak RSS at $(count $((EVENTS / 4))) / $(count $((EVENTS / 2))) / $(count "$EVENTS") events" \
    "$(kb "$q_rss") / $(kb "$h_rss") / $(kb "$ev_rss")" "" "$(ratio "$ev_rss" "$q_rss")" "flat: ≤ $RSS_GROWTH_MAX × the first quarter's" \
    "$(verdict "$ev_rss <= $RSS_GROWTH_MAX * $q_rss")"
  row "orgs list --search $SEARCH -o json ($(count "$ORGS") orgs)" "$(secs "$se")" "$(secs "$sq_se")" "$(ratio "$se" "$sq_se")" "≤ $SEARCH_RATIO_MAX × SQLite" \
    "$(verdict "$se <= $SEARCH_RATIO_MAX * $sq_se")"
  if [ -n "$same_answer" ]; then
    row "  same answer (ids, order, status, counters)" "${search_rows_pc} rows" "${search_rows_sq} rows" "" "identical" \
      "$(if [ "$same_answer" = yes ]; then echo PASS; else echo FAIL; fi)"
  else
    row "  same answer (ids, order, status, counters)" "—" "${search_rows_sq} rows" "" "identical" "n/a"
  fi
  for size in $PAGE_SIZES; do
    p=$(median "page_$size")
    row "orgs list --per-page 25 --page 1, $(count "$size") orgs" "$(secs "$p")" "" "" "≤ 100 ms" "$(verdict "$p <= $PAGE_MAX_S")"
  done
  row "  flat: $(count "$largest") orgs vs $(count "$smallest")" "$(secs "$p_large") vs $(secs "$p_small")" "" "$(ratio "$p_large" "$p_small")" \
    "≤ +20 ms, none over 100 ms" "$(verdict "$p_large - $p_small <= $PAGE_GROWTH_MAX_S && $p_max <= $PAGE_MAX_S")"
  row "  same, $(count "$ORGS") orgs with $(count "$EVENTS") events" "$(secs "$p_fullstore")" "" "" "≤ 100 ms" \
    "$(verdict "$p_fullstore <= $PAGE_MAX_S")"
  row "file size, orgs + events" "$(mb "$bolt")" "$(mb "$sqb")" "$(ratio "$bolt" "$sqb")" "≤ SQLite's" "$(verdict "$bolt <= $sqb")"
  row "orgs import, $(count "$ORGS") rows" "$(secs "$oi")" "" "" "≤ 2 s" "$(verdict "$oi <= $ORGS_IMPORT_MAX_S")"
  if [ "$PC_OK" = 0 ]; then
    echo
    echo "**The partnerctl side stopped** (its rows are partial or empty): $PC_ERR"
  fi
} | tee "$WORK/results.md"

# --- PostgreSQL (issue 12): bench/pg.sh on the same data ----------------------
# partnerctl on PostgreSQL against partnerctl on bbolt, alternating, with
# SPEC §13's targets, printed as a table of its own (also in
# $WORK/pg-results.md). PG=0 skips it; without PostgreSQL's server binaries
# it says so and the verdicts above stand.
pg_status=0
if [ "${PG:-1}" = 1 ]; then
  echo
  PG_DATA="$DATA" BENCH_DIR="$WORK" ORGS="$ORGS" EVENTS="$EVENTS" RUNS="$RUNS" PAGE_SIZES="$PAGE_SIZES" \
    SEARCH="$SEARCH" SEED="$SEED" bash bench/pg.sh || pg_status=$?
fi

# The table is printed from a pipeline's subshell: count its FAILs here.
fails=$(grep -c '| FAIL |$' "$WORK/results.md" || true)
if [ "$PC_OK" = 0 ] || [ "$pg_status" = 2 ]; then exit 2; fi
if [ "$fails" -gt 0 ] || [ "$pg_status" = 1 ]; then exit 1; fi
