#!/usr/bin/env bash
# partnerctl at partner scale, against SQLite on the same data (issues 6, 17).
#
#   bash bench/run.sh              # 100k orgs, 1M events, 3 runs (SCALE=100k)
#   SCALE=1m bash bench/run.sh     # 1M orgs, 10M events, 1 run (about half an hour)
#   SCALE=both bash bench/run.sh   # both, and the growth exponent between them
#   QUICK=1 bash bench/run.sh      # small sizes, 1 run: a smoke test (about a minute)
#
# Then bench/pg.sh measures partnerctl on PostgreSQL against bbolt on the
# same data (PG=0 skips it).
#
# Settings (environment): SCALE, RUNS, ORGS, EVENTS, DAILY (size of a tier
# when one runs), BUSY (0: no busy-machine runs), BUSY_RUNS, PROFILE (1: CPU
# profiles of partnerctl after the runs), PAGE_SIZES, PAGE_RUNS, SEARCH, SEED,
# BENCH_DIR (scratch folder, default /tmp/partnerctl-bench; every store and
# data set in it is rewritten). bench/README.md describes every one.
#
# Builds partnerctl and bench/gen, generates each tier's data, then RUNS
# times, side after side (partnerctl, then each SQLite, so all see the same
# machine): a fresh store, the orgs import, the events import, the reads
# (search, list, sort, stats), the replay of the same feed and the next
# day's feed; then the busy-machine imports, and partnerctl's memory and
# first-page checks. Prints the medians as markdown tables, also written to
# $BENCH_DIR/results.md. Times are whole-process wall times (the shell's
# clock around the command); memory is the peak RSS from /usr/bin/time;
# bytes written come from /proc/PID/io.
#
# Exit status: 0 every target met, 1 a target missed (or an answer differs
# from partnerctl's), 2 partnerctl could not be built or run (the SQLite
# sides are still measured and printed) or the benchmark itself failed (a
# tool missing, sqlite3 or the generator failing). Targets are set for the
# tiers' sizes: at other sizes (QUICK=1 among them) the verdicts are only
# indicative and a FAIL, so status 1, is to be expected.
set -Eeuo pipefail
trap 'echo "bench: failed (status $?) at line $LINENO: $BASH_COMMAND" >&2; exit 2' ERR
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# --- settings -------------------------------------------------------------------

if [ "${QUICK:-0}" = 1 ]; then
  TIERS=(quick)
else
  case ${SCALE:-100k} in
    100k) TIERS=(100k) ;;
    1m | 1M) TIERS=(1m) ;;
    both) TIERS=(100k 1m) ;;
    *) echo "bench: SCALE=\"$SCALE\": use 100k, 1m or both" >&2; exit 2 ;;
  esac
fi
SEARCH=${SEARCH:-acme}
SEED=${SEED:-42}
WORK=${BENCH_DIR:-/tmp/partnerctl-bench}
BUSY=${BUSY:-1}
PROFILE=${PROFILE:-0}
NOW=2026-11-23T12:00:00Z
SQL=bench/sqlite

# tier_sizes TIER: sets ORGS, EVENTS, DAILY (events of the next day's feed)
# and TIER_RUNS, from the tier's defaults and the caller's overrides.
tier_sizes() {
  local orgs events runs
  case $1 in
    quick) orgs=2000 events=20000 runs=1 ;;
    100k) orgs=100000 events=1000000 runs=3 ;;
    1m) orgs=1000000 events=10000000 runs=1 ;;
  esac
  ORGS=${ORGS_SET:-$orgs} EVENTS=${EVENTS_SET:-$events} TIER_RUNS=${RUNS:-$runs}
  DAILY=${DAILY_SET:-$((ORGS / 10))}
}
ORGS_SET=${ORGS:-} EVENTS_SET=${EVENTS:-} DAILY_SET=${DAILY:-}
if [ ${#TIERS[@]} -gt 1 ] && [ -n "$ORGS_SET$EVENTS_SET$DAILY_SET" ]; then
  echo "bench: ORGS, EVENTS and DAILY size one tier: not with SCALE=both" >&2
  exit 2
fi

# Targets of issue 6 (set for 100k orgs, 1M events; judged in that tier).
IMPORT_RATIO_MAX=0.50   # events import: at most half of issue 6's SQLite's time
RSS_MAX_KB=262144       # events import: peak RSS at most 256 MB
RSS_GROWTH_MAX=1.25     # ... and flat: the whole feed needs at most 25% more than its first quarter
SEARCH_RATIO_MAX=0.20   # orgs list --search: at most a fifth of issue 6's SQLite's time
PAGE_MAX_S=0.100        # first page: at most 100 ms ...
PAGE_GROWTH_MAX_S=0.020 # ... and flat: the largest store at most 20 ms slower than the smallest
ORGS_IMPORT_MAX_S=2     # orgs import of 100,000 rows

# Targets of issue 17. "The tuned SQLite" is each of TUNED: partnerctl must
# be within the ratio of both the tuned SQLite and the counters-keeping one.
HOT_RATIO_MAX_100K=0.50  # 100k: import, search, list, sort, stats ≤ half the tuned SQLite's time
COUNTERS_SEARCH_MAX=0.20 # 100k: search ≤ a fifth of the counters-keeping SQLite's
HOT_RATIO_MAX_1M=1.00    # 1M: every hot path (orgs import too) ≤ the tuned SQLite's time
HOT_RATIO_AIM_1M=0.50    # ... aiming for half (shown, not judged)
GROWTH_EXP_MAX=1.15      # time growth from 100k to 1M orgs ≤ N^1.15, every hot path
READ_RSS_MAX_KB=262144   # 1M: every read command ≤ 256 MB
IMPORT_RSS_MAX_KB=524288 # 1M: every import ≤ 512 MB
DAILY_MAX_S=1            # 1M: the next day's feed (100k events) in ≤ 1 s ...
DAILY_RSS_MAX_KB=262144  # ... and ≤ 256 MB
REPLAY_RATIO_MAX=0.50    # an all-duplicate feed ≤ half the time of importing it fresh
BUSY_WORSEN_MAX=1.20     # one core busy: the import ratio worsens by ≤ 20%
# (1M: partnerctl's file ≤ the counters-keeping SQLite's file.)

# Every partnerctl command names its store with --db; the clock is pinned and
# the output plain whatever the caller's environment says. SQLite's temporary
# files go to the scratch folder too.
export PARTNERCTL_NOW=$NOW PARTNERCTL_USER=admin@bench.test NO_COLOR=1
unset PARTNERCTL_DB PARTNERCTL_FORCE_TTY PARTNERCTL_CPUPROFILE
export SQLITE_TMPDIR=$WORK

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

# The search text goes into SQL and sqlite3 dot-command arguments, and both
# sides must fold its case alike: ASCII letters, digits, space, - and _ only.
case $SEARCH in
  '' | *[!A-Za-z0-9\ _-]*) die "SEARCH=\"$SEARCH\": use ASCII letters, digits, space, - or _" ;;
esac
for v in ORGS_SET EVENTS_SET DAILY_SET RUNS SEED BUSY_RUNS PAGE_RUNS; do
  case ${!v:-0} in '' | *[!0-9]*) die "${v%_SET}=\"${!v}\" is not a whole number" ;; esac
done
for v in BUSY PROFILE; do
  case ${!v} in 0 | 1) ;; *) die "$v=\"${!v}\": use 0 or 1" ;; esac
done
if [ -n "$ORGS_SET" ] && [ "$ORGS_SET" -lt 1 ]; then die "need ORGS >= 1"; fi
if [ -n "$EVENTS_SET" ] && [ "$EVENTS_SET" -lt 4 ]; then die "need EVENTS >= 4"; fi
if [ -n "${RUNS:-}" ] && [ "$RUNS" -lt 1 ]; then die "need RUNS >= 1"; fi
if [ -n "${PAGE_RUNS:-}" ] && [ "$PAGE_RUNS" -lt 1 ]; then die "need PAGE_RUNS >= 1"; fi
if [ "${QUICK:-0}" = 1 ]; then
  PAGE_SIZES=${PAGE_SIZES:-"1000 2000 10000"}
else
  PAGE_SIZES=${PAGE_SIZES:-"10000 100000 1000000"}
fi
PAGE_RUNS=${PAGE_RUNS:-5} # a few ms each: more runs are cheap
for size in $PAGE_SIZES; do
  case $size in '' | *[!0-9]* | 0) die "PAGE_SIZES=\"$PAGE_SIZES\": org counts, smallest first" ;; esac
done
[ -n "${PAGE_SIZES// /}" ] || die "PAGE_SIZES is empty"

# --- tools ----------------------------------------------------------------------

command -v go >/dev/null 2>&1 || die "go is not on PATH: it builds partnerctl and the data generator"
missing=()
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
[ -x /usr/bin/time ] || missing+=(time)
command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian packages)…"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# .import --skip needs 3.32, UPDATE … FROM 3.33, unixepoch() 3.38.
sqlite_version=$(sqlite3 --version | cut -d' ' -f1)
if [ "$(printf '%s\n3.38.0\n' "$sqlite_version" | sort -V | head -n1)" != 3.38.0 ]; then
  die "sqlite3 $sqlite_version is too old: the SQL needs 3.38 or later"
fi
[ -r /proc/self/io ] || die "/proc/self/io is missing: bytes written cannot be measured"

mkdir -p "$WORK"
rm -rf "${WORK:?}/m" "${WORK:?}/answers" && mkdir -p "$WORK/m" "$WORK/answers"

go build -o "$WORK/gen" ./bench/gen
PC="$WORK/partnerctl"
PC_OK=1   # 0 once partnerctl failed to build or a command of it failed
PC_ERR="" # why
if ! go build -o "$PC" ./cmd/partnerctl 2>"$WORK/build.log"; then
  PC_OK=0 PC_ERR="partnerctl did not build (go build ./cmd/partnerctl; log in $WORK/build.log)"
  say "bench: $PC_ERR"
  sed 's/^/    /' "$WORK/build.log" | head -n 20 >&2
  say "bench: measuring the SQLite sides only"
fi

# --- measuring --------------------------------------------------------------------

# measure OUT CMD…: runs CMD once, stdout to OUT, stderr to $WORK/stderr;
# sets T (wall seconds), CPU (user + system seconds), RSS (peak resident
# set, KB) and WRITTEN (bytes the command caused to be written to storage,
# less those of files deleted before they reached it). Returns CMD's status.
# CPU time tells a slow command from a busy machine: other work on the
# cores stretches the wall time, much less the CPU time. The clock is bash's $EPOCHREALTIME
# where there is one (bash 5): reading it forks nothing. CMD runs under a
# small sh that reads its own /proc/PID/io once CMD has ended: a process's
# I/O counts include those of the children it has waited for. Every case
# starts after a sync (untimed): the dirty pages a case leaves (an import
# of a gigabyte) are written back before the next case, not during it.
measure() {
  local out=$1 t0 t1 status=0
  shift
  sync
  t0=${EPOCHREALTIME:-$(date +%s.%N)}
  # shellcheck disable=SC2016 # $@, $$ and $0 are the inner sh's
  /usr/bin/time -f "%M %U %S" -o "$WORK/rss" \
    sh -c '"$@"; s=$?; cat /proc/$$/io >"$0"; exit $s' "$WORK/io" "$@" >"$out" 2>"$WORK/stderr" || status=$?
  t1=${EPOCHREALTIME:-$(date +%s.%N)}
  T=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.4f", b - a }')
  # time puts "Command exited with…" first on a failure.
  read -r RSS CPU < <(tail -n 1 "$WORK/rss" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
  WRITTEN=$(awk '/^write_bytes/ { w = $2 } /^cancelled_write_bytes/ { c = $2 } END { print w - c }' "$WORK/io")
  return "$status"
}

# Metrics live in $WORK/m/TIER/SIDE.NAME, one sample a line.
# record SIDE NAME VALUE; median SIDE NAME (of the current tier): "" if none.
record() { echo "$3" >>"$WORK/m/$TIER/$1.$2"; }
median() { median_in "$TIER" "$@"; }
median_in() {
  [ -s "$WORK/m/$1/$2.$3" ] || return 0
  sort -g "$WORK/m/$1/$2.$3" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# file_bytes FILE…: their total size; missing files count 0.
file_bytes() {
  local f total=0
  for f in "$@"; do
    [ -e "$f" ] && total=$((total + $(stat -c %s "$f")))
  done
  echo "$total"
}

# --- the sides ------------------------------------------------------------------
#
# A side is a few functions named after it; the driver (run_side) times what
# they describe. To add one (say PostgreSQL, "pg"): write pg_setup, pg_cmd,
# pg_bytes and pg_drop like the ones below, name it in LABEL and add it to
# COMPARE (and to TUNED if the targets should hold against it too).
#
#   S_setup DB              an empty store at DB, not timed (partnerctl init, a schema)
#   S_cmd CASE DB [ARG]     sets CMD to the command of CASE; returns 1 if S has no such case:
#     orgs_import DB CSV    the orgs of CSV into the empty store
#     events_import DB FEED FEED (a path without .jsonl/.csv) into a store holding only the orgs
#     append DB FEED        FEED into a store that has events (the replay, the next day's feed)
#     search|list|sort|stats DB   partnerctl's answers, byte for byte, on stdout
#     counters DB           every counter of every org (the check after the daily import)
#     page DB               the first page (partnerctl only)
#   S_bytes DB              the store's size on disk
#   S_drop DB               remove the store

declare -A LABEL=([pc]=partnerctl [sqt]="SQLite tuned" [sqc]="SQLite counters" [sq6]="SQLite (issue 6)")
COMPARE=(sqt sqc) # the SQLite columns of the tables, in order
TUNED=(sqt sqc)   # "the tuned SQLite" of the issue-17 targets
READS=(search list sort stats)
# The JSON answers are compared on the thirteen fields both SQLite sides
# model (partnerctl's JSON also has the device and message counters, the
# tenant's details and the health rule's reasons): partnerctl's timed
# command prints every field, and an untimed run with --fields gives the
# answer compared.
ANSWER_FIELDS=id,name,ref_id,status,users,data_sources,ai_trained,integrations,sessions_30d,sessions_total,last_active_at,created_at,license_status
COUNTER_FIELDS=id,users,data_sources,ai_trained,integrations,sessions_total,last_active_at,messages,subscribers,devices_total,devices_registered,devices_onboarded,devices_provisioned

# partnerctl.
pc_setup() {
  rm -f "$1"
  "$PC" init --db "$1" --partner-name Bench --support-email ops@bench.test \
    --admin-org "Bench HQ" --admin-email admin@bench.test >/dev/null 2>"$WORK/stderr"
}
pc_cmd() {
  local db=$2
  case $1 in
    orgs_import) CMD=("$PC" --db "$db" orgs import "$3") ;;
    events_import | append) CMD=("$PC" --db "$db" events import "$3.jsonl") ;;
    search) CMD=("$PC" --db "$db" orgs list --search "$SEARCH" -o json) ;;
    list) CMD=("$PC" --db "$db" orgs list -o json) ;;
    sort) CMD=("$PC" --db "$db" orgs list --sort last-active -o json) ;;
    stats) CMD=("$PC" --db "$db" orgs stats -o csv) ;;
    counters) CMD=("$PC" --db "$db" orgs list -o csv --fields "$COUNTER_FIELDS") ;;
    page) CMD=("$PC" --db "$db" orgs list --per-page 25 --page 1) ;;
    *) return 1 ;;
  esac
}
# pc_answer CASE DB OUT: partnerctl's JSON answer to CASE on the fields
# compared (ANSWER_FIELDS), untimed, into OUT.
pc_answer() {
  pc_cmd "$1" "$2" || return 0
  "${CMD[@]}" --fields "$ANSWER_FIELDS" >"$3" 2>"$WORK/stderr" || : >"$3"
}
pc_bytes() { file_bytes "$1"; }
pc_drop() { rm -f "$1"; }

# The SQLite sides share the settings (pragmas.sql), the orgs import and the
# printing of answers; each has its own schema, events import and org rows.
# Parameters are SQL literals, quotes doubled, so they are always text.
SQ_PARAMS=(".parameter set @now \"'$NOW'\"" ".parameter set @q \"'${SEARCH//\'/\'\'}'\"")
sq_setup() { # DB VARIANT
  rm -f "$1" "$1-wal" "$1-shm"
  sqlite3 -bail "$1" ".read $SQL/wal.sql" ".read $SQL/$2/schema.sql"
}
sq_cmd() { # VARIANT CASE DB [ARG]
  local variant=$1 db=$3 rows=all print
  case $2 in
    orgs_import)
      CMD=(sqlite3 -bail "$db" ".read $SQL/pragmas.sql" "${SQ_PARAMS[@]}" ".read $SQL/staging.sql"
        ".mode csv" ".import --skip 1 \"$4\" orgs_csv" ".read $SQL/orgs-load.sql")
      return ;;
    search) rows=search print=by-name ;;
    list) print=by-name ;;
    sort) print=by-last-active ;;
    stats) print=stats ;;
    *) return 1 ;;
  esac
  CMD=(sqlite3 -bail "$db" ".read $SQL/pragmas.sql" "${SQ_PARAMS[@]}" ".read $SQL/clock.sql"
    ".read $SQL/$variant/rows-$rows.sql" ".read $SQL/status.sql" ".read $SQL/print-$print.sql")
}
sq_bytes() { file_bytes "$1" "$1-wal"; }
sq_drop() { rm -f "$1" "$1-wal" "$1-shm"; }

# SQLite tuned: the raw events, indexed after the first load, answers
# computed from them at query time (bench/sqlite/tuned/).
sqt_setup() { sq_setup "$1" tuned; }
sqt_cmd() {
  local db=$2
  case $1 in
    events_import)
      CMD=(sqlite3 -bail "$db" ".read $SQL/pragmas.sql" ".mode csv" ".import --skip 1 \"$3.csv\" events"
        ".read $SQL/tuned/index.sql") ;;
    append)
      CMD=(sqlite3 -bail "$db" ".read $SQL/pragmas.sql" ".read $SQL/staging.sql" ".mode csv"
        ".import --skip 1 \"$3.csv\" feed" ".read $SQL/tuned/append.sql") ;;
    *) sq_cmd tuned "$@" ;;
  esac
}
sqt_bytes() { sq_bytes "$@"; }
sqt_drop() { sq_drop "$@"; }

# SQLite counters: per-org counters kept up to date by each import, as
# partnerctl keeps them (bench/sqlite/counters/).
sqc_setup() { sq_setup "$1" counters; }
sqc_cmd() {
  local db=$2
  case $1 in
    events_import | append)
      CMD=(sqlite3 -bail "$db" ".read $SQL/pragmas.sql" "${SQ_PARAMS[@]}" ".read $SQL/clock.sql"
        ".read $SQL/staging.sql" ".mode csv" ".import --skip 1 \"$3.csv\" feed" ".read $SQL/counters/apply.sql") ;;
    counters) CMD=(sqlite3 -bail "$db" ".read $SQL/counters/print-counters.sql") ;;
    *) sq_cmd counters "$@" ;;
  esac
}
sqc_bytes() { sq_bytes "$@"; }
sqc_drop() { sq_drop "$@"; }

# SQLite of issue 6: default settings, indexes before the load, the orgs
# loaded untimed, only the events import and the search (schema.sql,
# load-orgs.sql, health.sql).
SQ6_QUERY=("${SQ_PARAMS[@]}" ".read $SQL/health.sql")
sq6_setup() {
  sq_drop "$1"
  sqlite3 -bail "$1" ".read $SQL/schema.sql" ".mode csv" ".import --skip 1 \"$DATA/orgs.csv\" orgs_csv" \
    "${SQ_PARAMS[0]}" ".read $SQL/load-orgs.sql"
}
sq6_cmd() {
  case $1 in
    events_import) CMD=(sqlite3 -bail "$2" ".mode csv" ".import --skip 1 \"$3.csv\" events") ;;
    search) CMD=(sqlite3 -bail -json "$2" "${SQ6_QUERY[@]}") ;;
    *) return 1 ;;
  esac
}
sq6_bytes() { sq_bytes "$@"; }
sq6_drop() { sq_drop "$@"; }

# --- the driver -----------------------------------------------------------------

# timed SIDE METRIC OUT CASE DB [ARG]: measures SIDE's command for CASE and
# records its time (METRIC), peak RSS (METRIC.rss) and bytes written
# (METRIC.written). Returns 1, recording nothing, when SIDE has no such case
# or partnerctl has stopped; a failing partnerctl command stops the
# partnerctl side with its last words; a failing SQLite command stops the
# benchmark.
timed() {
  local side=$1 metric=$2 out=$3
  shift 3
  CMD=()
  "${side}_cmd" "$@" || return 1
  if [ "$side" = pc ] && [ "$PC_OK" = 0 ]; then return 1; fi
  if ! measure "$out" "${CMD[@]}"; then
    if [ "$side" != pc ]; then
      die "${LABEL[$side]}: $1 failed: $(tail -n 3 "$WORK/stderr" | tr '\n' ' ')"
    fi
    PC_OK=0 PC_ERR="\`partnerctl ${CMD[*]:1}\` failed: $(tail -n 3 "$WORK/stderr" | tr '\n' ' ')"
    say "bench: $PC_ERR"
    return 1
  fi
  [ -n "$metric" ] || return 0
  record "$side" "$metric" "$T"
  record "$side" "$metric.rss" "$RSS"
  record "$side" "$metric.cpu" "$CPU"
  record "$side" "$metric.written" "$WRITTEN"
}

# setup SIDE DB: SIDE's empty store; a partnerctl failure stops its side.
setup() {
  if [ "$1" = pc ]; then
    [ "$PC_OK" = 1 ] || return 1
    if ! pc_setup "$2"; then
      PC_OK=0 PC_ERR="\`partnerctl init\` failed: $(tail -n 3 "$WORK/stderr" | tr '\n' ' ')"
      say "bench: $PC_ERR"
      return 1
    fi
  else
    "${1}_setup" "$2" || die "${LABEL[$1]}: could not make an empty store"
  fi
}

# run_side SIDE RUN: one run of every case SIDE has, on a fresh store, in
# the order a partner meets them; answers go to $ANS/SIDE.CASE (overwritten
# by every run, compared after each). The first run keeps the store as it is
# after the orgs import ($WORK/orgs-SIDE.db) for the runs that need only the
# orgs: busy machine, memory, profiles.
run_side() {
  local side=$1 run=$2 db="$WORK/store-$1.db" c before
  setup "$side" "$db" || return 0
  timed "$side" orgs_import /dev/null orgs_import "$db" "$DATA/orgs.csv" || [ "$side" != pc ] || return 0
  if [ "$run" = 1 ]; then
    "${side}_drop" "$WORK/orgs-$side.db"
    cp "$db" "$WORK/orgs-$side.db"
  fi
  timed "$side" events_import /dev/null events_import "$db" "$DATA/events" || return 0
  record "$side" bytes "$("${side}_bytes" "$db")"
  for c in "${READS[@]}" page; do
    timed "$side" "$c" "$ANS/$side.$c" "$c" "$db" || true
  done
  if [ "$side" = pc ]; then
    for c in search list sort; do pc_answer "$c" "$db" "$ANS/pc.$c"; done
  fi
  if [ "$side" = pc ] && [ "$run" = 1 ] && issue6_tier; then pc_search_csv "$db"; fi
  if timed "$side" replay /dev/null append "$db" "$DATA/events" &&
    before=$("${side}_bytes" "$db") &&
    timed "$side" daily /dev/null append "$db" "$DATA/daily"; then
    record "$side" daily.growth $(($("${side}_bytes" "$db") - before))
    record "$side" bytes_daily "$("${side}_bytes" "$db")"
    # After the next day's feed, the answers again: every counter where the
    # side keeps them, the search where it computes them.
    if "${side}_cmd" counters "$db"; then
      "${CMD[@]}" >"$ANS/$side.counters_daily" 2>"$WORK/stderr" || : >"$ANS/$side.counters_daily"
    fi
    if [ "$side" = pc ]; then
      pc_answer search "$db" "$ANS/pc.search_daily"
    elif "${side}_cmd" search "$db"; then
      "${CMD[@]}" >"$ANS/$side.search_daily" 2>"$WORK/stderr" || : >"$ANS/$side.search_daily"
    fi
  fi
  "${side}_drop" "$db"
}

# compare_answers SIDE: SIDE's answers of the run against partnerctl's, byte
# for byte; a difference is kept ($ANS/SIDE.CASE.diff) and counted.
compare_answers() {
  local side=$1 c
  for c in "${READS[@]}" counters_daily search_daily; do
    if [ ! -e "$ANS/$side.$c" ] || [ ! -e "$ANS/pc.$c" ]; then continue; fi
    if cmp -s "$ANS/pc.$c" "$ANS/$side.$c"; then
      record "$side" "same.$c" 1
    else
      record "$side" "same.$c" 0
      diff "$ANS/pc.$c" "$ANS/$side.$c" | head -n 20 >"$ANS/$side.$c.diff" || true
      say "bench: ${LABEL[$side]} answers $c differently from partnerctl: $ANS/$side.$c.diff"
    fi
  done
}

# Issue 6's search check: both answers as CSV, every column, id first, in
# sqlite3's list mode (its CSV mode quotes every text with a space and ends
# rows with CRLF; no value here holds a comma or a quote), partnerctl's
# true/false as 1/0.
pc_search_csv() {
  "$PC" --db "$1" orgs list --search "$SEARCH" -o csv \
    --fields id,name,ref_id,status,users,data_sources,ai_trained,integrations,sessions_30d,sessions_total,last_active_at,created_at,license_status \
    >"$ANS/pc.search.csv" 2>"$WORK/stderr" || rm -f "$ANS/pc.search.csv"
}
compare_issue6_search() {
  sqlite3 -list -separator , -header "$WORK/store-sq6.db" "${SQ6_QUERY[@]}" >"$ANS/sq6.search.csv"
  record sq6 search_rows $(($(wc -l <"$ANS/sq6.search.csv") - 1))
  [ -e "$ANS/pc.search.csv" ] || return 0
  record pc search_rows $(($(wc -l <"$ANS/pc.search.csv") - 1))
  if sed -e 's/,true,/,1,/' -e 's/,false,/,0,/' "$ANS/pc.search.csv" | cmp -s - "$ANS/sq6.search.csv"; then
    record sq6 same.search_csv 1
  else
    record sq6 same.search_csv 0
    say "bench: the issue-6 answers differ; compare $ANS/pc.search.csv and $ANS/sq6.search.csv"
  fi
}

# run_issue6 RUN: issue 6's SQLite (events import and search), and the CSV
# check of both searches on the first run.
run_issue6() {
  local db="$WORK/store-sq6.db"
  sq6_setup "$db"
  timed sq6 events_import /dev/null events_import "$db" "$DATA/events"
  record sq6 bytes "$(sq6_bytes "$db")"
  timed sq6 search "$ANS/sq6.search" search "$db"
  if [ "$1" = 1 ]; then compare_issue6_search; fi
  sq6_drop "$db"
}

# A core kept busy: one spinning process pinned to the last CPU, so the
# command under test shares the machine with it.
BUSY_PID=""
busy_start() {
  taskset -c "$(($(nproc) - 1))" sh -c 'while :; do :; done' &
  BUSY_PID=$!
}
busy_stop() {
  [ -n "$BUSY_PID" ] || return 0
  kill "$BUSY_PID" 2>/dev/null || true
  wait "$BUSY_PID" 2>/dev/null || true
  BUSY_PID=""
}
trap busy_stop EXIT

# run_busy: the events import of partnerctl and of the tuned SQLite, each on
# a copy of its orgs-only store, with one core busy.
run_busy() {
  local side db
  for _ in $(seq "${BUSY_RUNS:-$TIER_RUNS}"); do
    for side in pc sqt; do
      [ -e "$WORK/orgs-$side.db" ] || continue
      db="$WORK/busy-$side.db"
      cp "$WORK/orgs-$side.db" "$db"
      busy_start
      timed "$side" events_import_busy /dev/null events_import "$db" "$DATA/events" || true
      busy_stop
      "${side}_drop" "$db"
    done
  done
}

# run_memory: partnerctl's events import of the feed's first quarter and
# first half, once each, for issue 6's flat-memory row.
run_memory() {
  local part n db="$WORK/part.db"
  [ "$PC_OK" = 1 ] && [ -e "$WORK/orgs-pc.db" ] || return 0
  for part in 4 2; do
    n=$((EVENTS / part))
    say "events import of the first $n events…"
    head -n "$n" "$DATA/events.jsonl" >"$WORK/part.jsonl"
    cp "$WORK/orgs-pc.db" "$db"
    timed pc "events_import_1_$part" /dev/null events_import "$db" "$WORK/part" || true
    rm -f "$db" "$WORK/part.jsonl"
  done
}

# run_pages: the first page at each of PAGE_SIZES orgs (no events).
run_pages() {
  local size db="$WORK/page.db"
  [ "$PC_OK" = 1 ] || return 0
  for size in $PAGE_SIZES; do
    say "first page at $size orgs…"
    "$WORK/gen" -orgs "$size" -events 0 -seed "$SEED" -now "$NOW" -out "$WORK/data-page"
    setup pc "$db" || break
    timed pc "" /dev/null orgs_import "$db" "$WORK/data-page/orgs.csv" || break
    for _ in $(seq "$PAGE_RUNS"); do
      timed pc "page_$size" /dev/null page "$db" || break 2
    done
    rm -rf "$db" "$WORK/data-page"
  done
}

# run_profiles: CPU profiles of partnerctl's events import and full list
# (PARTNERCTL_CPUPROFILE, a hidden hook), summed up by `go tool pprof -top`.
run_profiles() {
  local db="$WORK/prof.db" dir="$WORK/profiles/$TIER" what
  [ "$PC_OK" = 1 ] && [ -e "$WORK/orgs-pc.db" ] || return 0
  mkdir -p "$dir"
  cp "$WORK/orgs-pc.db" "$db"
  for what in events_import list stats; do
    say "profiling partnerctl $what…"
    if [ "$what" = events_import ]; then pc_cmd events_import "$db" "$DATA/events"; else pc_cmd "$what" "$db"; fi
    PARTNERCTL_CPUPROFILE="$dir/$what.prof" "${CMD[@]}" >/dev/null 2>&1 || true
    go tool pprof -top "$PC" "$dir/$what.prof" >"$dir/$what.top.txt" 2>/dev/null || true
    go tool pprof -top -cum "$PC" "$dir/$what.prof" >"$dir/$what.cum.txt" 2>/dev/null || true
  done
  rm -f "$db"
}

# generate: the tier's data set in $DATA, unless the same generator and
# settings already made it (the bytes follow from them alone).
generate() {
  local stamp
  stamp="$(sha256sum "$WORK/gen" | cut -d' ' -f1) $ORGS $EVENTS $DAILY $SEED $NOW"
  if [ "$(cat "$DATA/stamp" 2>/dev/null)" = "$stamp" ]; then
    say "data: $DATA is up to date"
    return
  fi
  say "generating $ORGS orgs, $EVENTS events and a daily feed of $DAILY (seed $SEED) in $DATA…"
  rm -f "$DATA/stamp"
  "$WORK/gen" -orgs "$ORGS" -events "$EVENTS" -daily "$DAILY" -seed "$SEED" -now "$NOW" -out "$DATA"
  echo "$stamp" >"$DATA/stamp"
}

# issue6_tier: whether TIER carries issue 6's checks (its sizes, or the
# smoke test's).
issue6_tier() { [ "$TIER" != 1m ]; }

# run_tier TIER: every measurement of one tier.
run_tier() {
  local run side started
  TIER=$1
  tier_sizes "$TIER"
  DATA="$WORK/data-$TIER" ANS="$WORK/answers/$TIER"
  mkdir -p "$WORK/m/$TIER" "$ANS"
  started=$(date +%s)
  generate
  cut -d' ' -f1-3 /proc/loadavg >"$WORK/m/$TIER/load_before"
  for run in $(seq "$TIER_RUNS"); do
    for side in pc "${COMPARE[@]}"; do
      say "[$TIER] run $run of $TIER_RUNS: ${LABEL[$side]}…"
      run_side "$side" "$run"
    done
    if issue6_tier; then
      say "[$TIER] run $run of $TIER_RUNS: ${LABEL[sq6]}…"
      run_issue6 "$run"
    fi
    for side in "${COMPARE[@]}"; do compare_answers "$side"; done
  done
  if [ "$BUSY" = 1 ]; then
    say "[$TIER] events imports with one core busy…"
    run_busy
  fi
  if issue6_tier; then
    run_memory
    run_pages
  fi
  cut -d' ' -f1-3 /proc/loadavg >"$WORK/m/$TIER/load_after"
  echo $(($(date +%s) - started)) >"$WORK/m/$TIER/elapsed"
  if [ "$PROFILE" = 1 ]; then run_profiles; fi
  for side in pc "${COMPARE[@]}"; do "${side}_drop" "$WORK/orgs-$side.db"; done
}

for tier in "${TIERS[@]}"; do run_tier "$tier"; done
busy_stop

# --- report ---------------------------------------------------------------------

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
row() { local IFS='|'; printf '|%s|\n' "$*" | sed 's/|/ | /g; s/^ //; s/ $//'; }
maxof() { awk 'BEGIN { m = "" } { if ($1 != "" && (m == "" || $1 + 0 > m + 0)) m = $1 } END { print m }'; }

# time_rss SIDE METRIC: "1.91 s (2.20 s CPU), 200 MB": the medians of the
# wall time, the CPU time and the peak RSS.
time_rss() {
  local t
  t=$(median "$1" "$2")
  if [ -z "$t" ]; then echo "—"; return; fi
  echo "$(secs "$t") ($(secs "$(median "$1" "$2.cpu")") CPU), $(kb "$(median "$1" "$2.rss")")"
}

# worst_ratio METRIC: partnerctl's time over each TUNED side's, the largest
# (the one partnerctl must still beat); "" when none can be computed.
worst_ratio() {
  local side pc_t t
  pc_t=$(median pc "$1")
  [ -n "$pc_t" ] || return 0
  for side in "${TUNED[@]}"; do
    t=$(median "$side" "$1")
    [ -z "$t" ] || awk -v a="$pc_t" -v b="$t" 'BEGIN { if (b > 0) print a / b }'
  done | maxof
}

# case_row LABEL METRIC TARGET_TEXT VERDICT: one timed case, a column per side.
case_row() {
  local label=$1 metric=$2 target=$3 result=$4 side cells=() ratios=()
  for side in "${COMPARE[@]}"; do
    cells+=("$(time_rss "$side" "$metric")")
    ratios+=("$(ratio "$(median pc "$metric")" "$(median "$side" "$metric")")")
  done
  row "$label" "$(time_rss pc "$metric")" "${cells[@]}" "${ratios[@]}" "$target" "$result"
}

# table_head: the header of a tier's table.
table_head() {
  local side heads=() ratios=() rules=()
  for side in "${COMPARE[@]}"; do
    heads+=("${LABEL[$side]}")
    ratios+=("÷ ${LABEL[$side]}")
    rules+=("---:" "---:")
  done
  row case partnerctl "${heads[@]}" "${ratios[@]}" target result
  row --- ---: "${rules[@]}" --- ---
}

# note_row LABEL PARTNERCTL_CELL TARGET RESULT: a row with no SQLite cells.
note_row() {
  local blanks=() _
  for _ in "${COMPARE[@]}" "${COMPARE[@]}"; do blanks+=(""); done
  row "$1" "$2" "${blanks[@]}" "$3" "$4"
}

# hot_verdict METRIC MAX: the worst ratio against the tuned sides ≤ MAX.
hot_verdict() { verdict "$(worst_ratio "$1") <= $2"; }

# report_tier TIER: the tier's tables.
report_tier() {
  TIER=$1
  tier_sizes "$TIER"
  local big=0 hot label side c r same_rows rss_read rss_import
  [ "$TIER" = 1m ] && big=1
  if [ "$big" = 1 ]; then hot=$HOT_RATIO_MAX_1M; else hot=$HOT_RATIO_MAX_100K; fi
  echo "### $(count "$ORGS") orgs, $(count "$EVENTS") events, next day's feed $(count "$DAILY") events ($TIER tier)"
  echo
  echo "Seed $SEED; medians of $TIER_RUNS run(s); $(nproc) CPUs, sqlite3 $sqlite_version, $(go version | cut -d' ' -f3), commit $(git describe --always --dirty 2>/dev/null || echo '?'); load average before $(cat "$WORK/m/$TIER/load_before"), after $(cat "$WORK/m/$TIER/load_after"); the tier took $(($(cat "$WORK/m/$TIER/elapsed") / 60)) min $(($(cat "$WORK/m/$TIER/elapsed") % 60)) s."
  case $TIER:$ORGS:$EVENTS in
    100k:100000:1000000 | 1m:1000000:10000000) ;;
    *) echo "(not the sizes the targets are set for, so these verdicts are only indicative)" ;;
  esac
  echo
  local tuned_labels=""
  for side in "${TUNED[@]}"; do tuned_labels+="${tuned_labels:+ and }${LABEL[$side]}"; done
  echo "Each cell: wall time (CPU time, user + system), peak RSS. Ratios: partnerctl's time ÷ that side's. \"Either tuned\": against each of $tuned_labels, the worse ratio counts (at 1M, aim for $HOT_RATIO_AIM_1M)."
  echo
  table_head
  if [ "$big" = 1 ]; then
    case_row "orgs import, $(count "$ORGS") rows" orgs_import "≤ $hot × either tuned" "$(hot_verdict orgs_import "$hot")"
  else
    case_row "orgs import, $(count "$ORGS") rows" orgs_import "" ""
  fi
  case_row "events import, fresh, $(count "$EVENTS") events" events_import "≤ $hot × either tuned" "$(hot_verdict events_import "$hot")"
  r=$(ratio "$(median pc replay)" "$(median pc events_import)")
  case_row "events import again (all duplicates)" replay "partnerctl ≤ $REPLAY_RATIO_MAX × its fresh import (now $r)" \
    "$(verdict "$(median pc replay) <= $REPLAY_RATIO_MAX * $(median pc events_import)")"
  if [ "$big" = 1 ]; then
    case_row "next day's feed, $(count "$DAILY") events" daily "≤ $DAILY_MAX_S s, ≤ $((DAILY_RSS_MAX_KB / 1024)) MB" \
      "$(verdict "$(median pc daily) <= $DAILY_MAX_S && $(median pc daily.rss) <= $DAILY_RSS_MAX_KB")"
  else
    case_row "next day's feed, $(count "$DAILY") events" daily "" ""
  fi
  local written=() grown=()
  for side in "${COMPARE[@]}"; do
    written+=("$(mb "$(median "$side" daily.written)") written, file +$(mb "$(median "$side" daily.growth)")")
    grown+=("")
  done
  row "  its writes" "$(mb "$(median pc daily.written)") written, file +$(mb "$(median pc daily.growth)")" "${written[@]}" "${grown[@]}" "" ""
  case_row "orgs list --search $SEARCH -o json" search "≤ $hot × either tuned" "$(hot_verdict search "$hot")"
  if [ "$big" = 0 ]; then
    r=$(ratio "$(median pc search)" "$(median sqc search)")
    note_row "  against the counters-keeping SQLite" "" "÷ SQLite counters: $r; ≤ $COUNTERS_SEARCH_MAX" \
      "$(verdict "$(median pc search) <= $COUNTERS_SEARCH_MAX * $(median sqc search)")"
  fi
  case_row "orgs list -o json (all orgs)" list "≤ $hot × either tuned" "$(hot_verdict list "$hot")"
  case_row "orgs list --sort last-active -o json" sort "≤ $hot × either tuned" "$(hot_verdict sort "$hot")"
  case_row "orgs stats -o csv" stats "≤ $hot × either tuned" "$(hot_verdict stats "$hot")"
  case_row "orgs list --per-page 25 --page 1" page "≤ $(secs "$PAGE_MAX_S")" "$(verdict "$(median pc page) <= $PAGE_MAX_S")"
  if [ "$big" = 1 ]; then
    rss_read=$(for c in "${READS[@]}" page; do median pc "$c.rss"; done | maxof)
    rss_import=$(for c in orgs_import events_import replay daily; do median pc "$c.rss"; done | maxof)
    note_row "peak RSS, partnerctl's reads (largest)" "$(kb "$rss_read")" "≤ $((READ_RSS_MAX_KB / 1024)) MB" \
      "$(verdict "$rss_read <= $READ_RSS_MAX_KB")"
    note_row "peak RSS, partnerctl's imports (largest)" "$(kb "$rss_import")" "≤ $((IMPORT_RSS_MAX_KB / 1024)) MB" \
      "$(verdict "$rss_import <= $IMPORT_RSS_MAX_KB")"
  fi
  local sizes=() size_ratios=()
  for side in "${COMPARE[@]}"; do
    sizes+=("$(mb "$(median "$side" bytes)") / $(mb "$(median "$side" bytes_daily)")")
    size_ratios+=("$(ratio "$(median pc bytes)" "$(median "$side" bytes)")")
  done
  if [ "$big" = 1 ]; then
    row "file, after the import / the next day" "$(mb "$(median pc bytes)") / $(mb "$(median pc bytes_daily)")" "${sizes[@]}" "${size_ratios[@]}" \
      "≤ SQLite counters'" "$(verdict "$(median pc bytes) <= $(median sqc bytes) && $(median pc bytes_daily) <= $(median sqc bytes_daily)")"
  else
    row "file, after the import / the next day" "$(mb "$(median pc bytes)") / $(mb "$(median pc bytes_daily)")" "${sizes[@]}" "${size_ratios[@]}" "" ""
  fi
  if [ "$BUSY" = 1 ]; then
    local idle busy
    idle=$(ratio "$(median pc events_import)" "$(median sqt events_import)")
    busy=$(ratio "$(median pc events_import_busy)" "$(median sqt events_import_busy)")
    local busy_cells=() busy_ratios=()
    for side in "${COMPARE[@]}"; do
      busy_cells+=("$(time_rss "$side" events_import_busy)")
      busy_ratios+=("$(ratio "$(median pc events_import_busy)" "$(median "$side" events_import_busy)")")
    done
    row "events import, one core busy" "$(time_rss pc events_import_busy)" "${busy_cells[@]}" "${busy_ratios[@]}" \
      "ratio ÷ SQLite tuned: $idle idle, $busy busy; ≤ $BUSY_WORSEN_MAX × idle" \
      "$(verdict "${busy:-x} <= $BUSY_WORSEN_MAX * ${idle:-x}")"
  fi
  for side in "${COMPARE[@]}"; do
    same_rows=""
    for c in "${READS[@]}" counters_daily search_daily; do
      [ -s "$WORK/m/$TIER/$side.same.$c" ] || continue
      if grep -q 0 "$WORK/m/$TIER/$side.same.$c"; then same_rows+=" $c:DIFFERS"; else same_rows+=" $c"; fi
    done
    note_row "same answers as partnerctl: ${LABEL[$side]}" "${same_rows# }" "byte for byte" \
      "$(if [ -z "$same_rows" ]; then echo n/a; elif [[ $same_rows == *DIFFERS* ]]; then echo FAIL; else echo PASS; fi)"
  done
  if [ "$PC_OK" = 0 ]; then
    echo
    echo "**The partnerctl side stopped** (its rows are partial or empty): $PC_ERR"
  fi
  echo
  if issue6_tier; then report_issue6; fi
}

# report_issue6: issue 6's table, as it was, from the same runs.
report_issue6() {
  local ev ev_rss q_rss h_rss sq sq_rss se sq_se bolt sqb oi same p p_small p_large p_full p_max size
  ev=$(median pc events_import) ev_rss=$(median pc events_import.rss)
  q_rss=$(median pc events_import_1_4.rss) h_rss=$(median pc events_import_1_2.rss)
  sq=$(median sq6 events_import) sq_rss=$(median sq6 events_import.rss)
  se=$(median pc search) sq_se=$(median sq6 search)
  bolt=$(median pc bytes) sqb=$(median sq6 bytes)
  oi=$(median pc orgs_import)
  read -r -a sizes <<<"$PAGE_SIZES"
  p_small=$(median pc "page_${sizes[0]}") p_large=$(median pc "page_${sizes[${#sizes[@]} - 1]}") p_full=$(median pc page)
  p_max=$(for size in $PAGE_SIZES; do median pc "page_$size"; done | maxof)
  echo "Issue 6's targets, against issue 6's SQLite (default settings, indexes before the load):"
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
  same=$(median sq6 same.search_csv)
  row "  same answer (ids, order, status, counters)" "$(median pc search_rows) rows" "$(median sq6 search_rows) rows" "" "identical" \
    "$(case $same in 1) echo PASS ;; 0) echo FAIL ;; *) echo n/a ;; esac)"
  for size in $PAGE_SIZES; do
    p=$(median pc "page_$size")
    row "orgs list --per-page 25 --page 1, $(count "$size") orgs" "$(secs "$p")" "" "" "≤ 100 ms" "$(verdict "$p <= $PAGE_MAX_S")"
  done
  row "  flat: $(count "${sizes[${#sizes[@]} - 1]}") orgs vs $(count "${sizes[0]}")" "$(secs "$p_large") vs $(secs "$p_small")" "" "$(ratio "$p_large" "$p_small")" \
    "≤ +20 ms, none over 100 ms" "$(verdict "$p_large - $p_small <= $PAGE_GROWTH_MAX_S && $p_max <= $PAGE_MAX_S")"
  row "  same, $(count "$ORGS") orgs with $(count "$EVENTS") events" "$(secs "$p_full")" "" "" "≤ 100 ms" "$(verdict "$p_full <= $PAGE_MAX_S")"
  row "file size, orgs + events" "$(mb "$bolt")" "$(mb "$sqb")" "$(ratio "$bolt" "$sqb")" "≤ SQLite's" "$(verdict "$bolt <= $sqb")"
  row "orgs import, $(count "$ORGS") rows" "$(secs "$oi")" "" "" "≤ 2 s" "$(verdict "$oi <= $ORGS_IMPORT_MAX_S")"
  echo
}

# report_growth: the fitted exponent of each case's time between the two
# tiers: t ∝ N^k, k = log(t₂ / t₁) / log(N₂ / N₁), N the orgs (events grow
# with them, ten a org).
report_growth() {
  local n1 n2 side c label k cells=() result
  TIER=100k; tier_sizes 100k; n1=$ORGS
  TIER=1m; tier_sizes 1m; n2=$ORGS
  exponent() { # SIDE METRIC
    local a b
    a=$(median_in 100k "$1" "$2") b=$(median_in 1m "$1" "$2")
    if [ -z "$a" ] || [ -z "$b" ]; then echo ""; return; fi
    awk -v a="$a" -v b="$b" -v n1="$n1" -v n2="$n2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", log(b / a) / log(n2 / n1) }'
  }
  echo "### Growth from $(count "$n1") to $(count "$n2") orgs (ten events an org): time ∝ N^k"
  echo
  echo "From the tiers' median wall times (the target's), and partnerctl's CPU times beside them."
  echo
  local heads=() rules=()
  for side in "${COMPARE[@]}"; do heads+=("${LABEL[$side]}"); rules+=("---:"); done
  row case "partnerctl k" "partnerctl k, CPU time" "${heads[@]}" target result
  row --- ---: ---: "${rules[@]}" --- ---
  for c in orgs_import:"orgs import" events_import:"events import, fresh" replay:"events import again" daily:"next day's feed" \
    search:"orgs list --search" list:"orgs list (all)" sort:"orgs list --sort last-active" stats:"orgs stats"; do
    label=${c#*:} c=${c%%:*}
    cells=()
    for side in "${COMPARE[@]}"; do cells+=("$(exponent "$side" "$c")"); done
    k=$(exponent pc "$c")
    case $c in
      replay | daily) result="" target="" ;;
      *) target="≤ $GROWTH_EXP_MAX" result=$(verdict "$k <= $GROWTH_EXP_MAX") ;;
    esac
    row "$label" "${k:-—}" "$(exponent pc "$c.cpu")" "${cells[@]}" "$target" "$result"
  done
  echo
}

{
  echo "## partnerctl bench, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  for tier in "${TIERS[@]}"; do report_tier "$tier"; done
  if [ ${#TIERS[@]} -gt 1 ]; then report_growth; fi
} | tee "$WORK/results.md"

# --- PostgreSQL (issue 12): bench/pg.sh on the same data ----------------------
# partnerctl on PostgreSQL against partnerctl on bbolt, alternating, with
# SPEC §13's targets, printed as a table of its own (also in
# $WORK/pg-results.md). PG=0 skips it; without PostgreSQL's server binaries
# it says so and the verdicts above stand.
pg_status=0
if [ "${PG:-1}" = 1 ]; then
  echo
  # the last tier's data set and sizes (run_tier leaves them set)
  PG_DATA="$DATA" BENCH_DIR="$WORK" ORGS="$ORGS" EVENTS="$EVENTS" RUNS="$TIER_RUNS" PAGE_SIZES="$PAGE_SIZES" \
    SEARCH="$SEARCH" SEED="$SEED" QUICK="${QUICK:-0}" bash bench/pg.sh || pg_status=$?
fi

# The tables are printed from a pipeline's subshell: count their FAILs here.
fails=$(grep -c '| FAIL |$' "$WORK/results.md" || true)
if [ "$PC_OK" = 0 ] || [ "$pg_status" = 2 ]; then exit 2; fi
if [ "$fails" -gt 0 ] || [ "$pg_status" = 1 ]; then exit 1; fi
