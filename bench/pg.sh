#!/usr/bin/env bash
# partnerctl on PostgreSQL against partnerctl on bbolt, on the same data in
# the same run (SPEC §13, issue 12). bench/run.sh runs it after its own
# measurements, on its data set; it also runs alone:
#
#   bash bench/pg.sh               # 100,000 orgs, 1,000,000 events, 3 runs
#   QUICK=1 bash bench/pg.sh       # small sizes, 1 run: a smoke test
#
# Settings (environment): ORGS, EVENTS, RUNS, PAGE_SIZES (org counts of the
# first-page check, smallest first), PAGE_RUNS, SEARCH, SEED, BENCH_DIR
# (scratch folder, default /tmp/partnerctl-bench), PG_DATA (a folder with
# the generator's orgs.csv and events.jsonl to use instead of generating
# them), PG_BINDIR (PostgreSQL's server binaries; default: found like
# pgtest does), PG_KEEP=1 (leave the server running afterwards),
# PG_HUGE_PAGES=0 (give the server no huge pages; see below), PG_POOLER=0
# (no PgBouncer rows even where pgbouncer is installed).
#
# It starts a PostgreSQL server of its own in $BENCH_DIR/pg (Unix socket
# only, default durability: fsync and synchronous commit on, as a team's
# server would run; shared_buffers 256MB and max_wal_size 4GB, a DBA's
# usual first settings; and, run as root, huge pages for its shared
# memory, as PostgreSQL's documentation recommends: the kernel's
# vm.nr_hugepages is raised by 160 for the run and put back after it.
# Without them every new session maps each shared buffer it touches page
# by page, and on this machine a page fault costs tens of microseconds: a
# 5,000-org search's session took 100 ms more), and stops it at the end.
# Every run makes a fresh bbolt store and a fresh database with the same
# orgs, then times, side after side: the events import, its replay (all
# duplicates), `orgs list --search` and the first page. Times are whole-process wall times; CPU is the
# command's own (user + system) plus, for PostgreSQL, the server's: every
# postgres process's CPU time, read from /proc before and after. The first
# page is also timed on stores of each PAGE_SIZES.
#
# Where pgbouncer is installed it also starts PgBouncer in front of that
# server (session pooling, as README's "A pooler in front" sets it up) and
# times the search and the first page through it too, after one `whoami`
# through it has opened the pooled session (a team's pooler has its
# sessions open from the commands before). A new server session costs
# this machine 15-25 ms before the first statement, and its first
# statements load the catalogs; a pooled one has both done. The verdicts
# of the search and the first page are then the pooled ones: the rows
# without the pooler stay in the table, their verdicts in parentheses.
#
# Prints the medians as a markdown table with SPEC §13's targets, also
# written to $BENCH_DIR/pg-results.md. Exit status: 0 every target met, 1 a
# target missed (or the two stores' answers differ), 2 the benchmark could
# not run (no PostgreSQL server binaries, a command failing).
set -Eeuo pipefail
trap 'echo "bench/pg: failed (status $?) at line $LINENO: $BASH_COMMAND" >&2; exit 2' ERR
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${QUICK:-0}" = 1 ]; then
  ORGS=${ORGS:-2000} EVENTS=${EVENTS:-20000} RUNS=${RUNS:-1}
  PAGE_SIZES=${PAGE_SIZES:-"1000 2000 10000"}
else
  ORGS=${ORGS:-100000} EVENTS=${EVENTS:-1000000} RUNS=${RUNS:-3}
  PAGE_SIZES=${PAGE_SIZES:-"10000 100000 1000000"}
fi
PAGE_RUNS=${PAGE_RUNS:-5}
SEARCH=${SEARCH:-acme}
SEED=${SEED:-42}
WORK=${BENCH_DIR:-/tmp/partnerctl-bench}
NOW=2026-11-23T12:00:00Z

# SPEC §13's targets, PostgreSQL against bbolt on the same data.
IMPORT_RATIO_MAX=3   # events import of 1M events ≤ 3× bbolt's time
REPLAY_RATIO_MAX=2   # re-import of the same file (all duplicates) ≤ 2×
SEARCH_RATIO_MAX=2   # orgs list --search ≤ 2×
PAGE_MAX_S=0.050     # first page ≤ 50 ms ...
PAGE_GROWTH_MAX_S=0.020 # ... and flat: the largest store at most 20 ms slower than the smallest

export PARTNERCTL_NOW=$NOW PARTNERCTL_USER= NO_COLOR=1
unset PARTNERCTL_DB PARTNERCTL_FORCE_TTY PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/pg: $*"; exit 2; }

for v in ORGS EVENTS RUNS PAGE_RUNS SEED; do
  case ${!v} in '' | *[!0-9]*) die "$v=\"${!v}\" is not a whole number" ;; esac
done
case $SEARCH in
  '' | *[!A-Za-z0-9\ _-]*) die "SEARCH=\"$SEARCH\": use ASCII letters, digits, space, - or _" ;;
esac
command -v go >/dev/null 2>&1 || die "go is not on PATH"

# --- the server ------------------------------------------------------------------

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    bindir=$(pg_config --bindir)
  else
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] && [ -x "$bindir/postgres" ] ||
  die "no PostgreSQL server binaries (initdb, postgres): install the postgresql package, or set PG_BINDIR"

mkdir -p "$WORK"
PGDIR="$WORK/pg"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root, but there is no postgres user to run the server as"
  as_pg=(runuser -u postgres --)
fi
pg_stop() {
  [ -f "$PGDIR/data/postmaster.pid" ] && "${as_pg[@]}" "$bindir/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
}
hugepages_before=""
if [ "${PG_HUGE_PAGES:-1}" = 1 ] && [ -w /proc/sys/vm/nr_hugepages ] && grep -q '^Hugepagesize: *2048 kB' /proc/meminfo; then
  hugepages_before=$(cat /proc/sys/vm/nr_hugepages)
  # 256 MB of shared buffers and the rest of the server's shared memory
  echo $((hugepages_before + 160)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
fi
pg_done() {
  pg_stop
  [ -z "$hugepages_before" ] || echo "$hugepages_before" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
}
trap 'pg_done' EXIT
pg_stop
rm -rf "$PGDIR"
mkdir -p "$PGDIR"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$PGDIR"
say "starting PostgreSQL ($("$bindir/postgres" --version)) in $PGDIR…"
"${as_pg[@]}" "$bindir/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/pg-initdb.log" 2>&1 ||
  die "initdb failed: $(tail -n 3 "$WORK/pg-initdb.log")"
"${as_pg[@]}" "$bindir/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -o "-c listen_addresses= -k $PGDIR \
  -c shared_buffers=256MB -c max_wal_size=4GB -c checkpoint_timeout=30min -c huge_pages=try" start >/dev/null ||
  die "the server did not start: $(tail -n 3 "$PGDIR/server.log")"
[ "${PG_KEEP:-0}" != 1 ] || trap - EXIT
PGPID=$(head -n 1 "$PGDIR/data/postmaster.pid")
huge_pages=off
grep -q '^KernelPageSize: *2048 kB' "/proc/$PGPID/smaps" 2>/dev/null && huge_pages=on
pg_url() { echo "postgres://postgres@/$1?host=$PGDIR"; }

# PgBouncer in front of the server, session pooling, Unix socket only.
POOLDIR="$WORK/pgbouncer"
pooler=off
pooler_bin=$(command -v pgbouncer 2>/dev/null || { [ -x /usr/sbin/pgbouncer ] && echo /usr/sbin/pgbouncer; } || true)
pooler_stop() {
  [ -f "$POOLDIR/pgbouncer.pid" ] && kill "$(cat "$POOLDIR/pgbouncer.pid")" 2>/dev/null || true
}
if [ "${PG_POOLER:-1}" = 1 ] && [ -n "$pooler_bin" ]; then
  pooler_stop
  rm -rf "$POOLDIR" && mkdir -p "$POOLDIR"
  echo '"postgres" ""' >"$POOLDIR/users.txt"
  cat >"$POOLDIR/pgbouncer.ini" <<EOF_INI
[databases]
* = host=$PGDIR
[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $POOLDIR
pool_mode = session
auth_type = trust
auth_file = $POOLDIR/users.txt
logfile = $POOLDIR/pgbouncer.log
pidfile = $POOLDIR/pgbouncer.pid
EOF_INI
  [ ${#as_pg[@]} -eq 0 ] || chown -R postgres "$POOLDIR"
  "${as_pg[@]}" "$pooler_bin" -d "$POOLDIR/pgbouncer.ini" >/dev/null 2>&1 ||
    die "PgBouncer did not start: $(tail -n 3 "$POOLDIR/pgbouncer.log" 2>/dev/null)"
  for _ in $(seq 100); do [ -S "$POOLDIR/.s.PGSQL.6432" ] && break; sleep 0.05; done
  pooler="on ($("$pooler_bin" --version | head -n 1), session pooling)"
  trap 'pooler_stop; pg_done' EXIT
  [ "${PG_KEEP:-0}" != 1 ] || trap - EXIT
fi
pooled_url() { echo "postgres://postgres@/$1?host=$POOLDIR&port=6432"; }
psql_admin() { PGOPTIONS='-c client_min_messages=warning' "$bindir/psql" -X -q -h "$PGDIR" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }

# server_cpu: CPU seconds the server has used so far: the postmaster's own
# and its reaped children's (each command's backend exits with it), plus
# every live child's (checkpointer, WAL writer, autovacuum, …).
TICK=$(getconf CLK_TCK)
server_cpu() {
  local total=0 f line fields
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    read -r -a fields <<<"${line##*) }"
    if [ "${f#/proc/}" = "$PGPID/stat" ]; then
      total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
    elif [ "${fields[1]:-}" = "$PGPID" ]; then
      total=$((total + fields[11] + fields[12]))
    fi
  done
  awk -v t="$total" -v h="$TICK" 'BEGIN { printf "%.2f", t / h }'
}

# --- tools and data --------------------------------------------------------------

PC="$WORK/partnerctl"
go build -o "$PC" ./cmd/partnerctl || die "partnerctl did not build"
if [ -n "${PG_DATA:-}" ]; then
  DATA=$PG_DATA
else
  DATA="$WORK/pg-data"
  go build -o "$WORK/gen" ./bench/gen
  say "generating $ORGS orgs and $EVENTS events (seed $SEED) in $DATA…"
  "$WORK/gen" -orgs "$ORGS" -events "$EVENTS" -seed "$SEED" -now "$NOW" -out "$DATA"
fi
ORGS=$(($(wc -l <"$DATA/orgs.csv") - 1)) EVENTS=$(wc -l <"$DATA/events.jsonl")
export PARTNERCTL_CONFIG="$WORK/pg-config.json"
rm -rf "$WORK/pgm" && mkdir -p "$WORK/pgm"

# measure OUT CMD…: runs CMD, stdout to OUT; sets T (wall seconds) and CPU
# (the command's user + system seconds). The command runs straight from
# this shell, timed by the shell's clock, and its CPU is what the shell's
# \`times\` adds for its children: under /usr/bin/time every wall time
# would also hold the start of a second process (10-20 ms on this machine,
# more than a fifth of the first page's 50 ms).
measure() {
  local out=$1 t0 t1 c0 c1
  shift
  times >"$WORK/pg-times0"
  t0=${EPOCHREALTIME:-$(date +%s.%N)}
  "$@" >"$out" 2>"$WORK/pg-stderr" ||
    die "\`${*:2}\` failed: $(tail -n 3 "$WORK/pg-stderr" | tr '\n' ' ')"
  t1=${EPOCHREALTIME:-$(date +%s.%N)}
  times >"$WORK/pg-times1"
  T=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN { printf "%.4f", b - a }')
  c0=$(children_cpu "$WORK/pg-times0") c1=$(children_cpu "$WORK/pg-times1")
  CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }')
}
# children_cpu FILE: the user + system seconds of the shell's children in
# FILE, the output of \`times\` (its second line: "0m1.250s 0m0.310s").
children_cpu() {
  awk 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
    printf "%.3f", t
  }' "$1"
}
# pg_measure OUT CMD…: measure, plus SCPU (the server's CPU seconds meanwhile).
pg_measure() {
  local before
  before=$(server_cpu)
  measure "$@"
  SCPU=$(awk -v a="$before" -v b="$(server_cpu)" 'BEGIN { printf "%.2f", b - a }')
}
record() { echo "$2" >>"$WORK/pgm/$1"; }
median() {
  [ -s "$WORK/pgm/$1" ] || return 0
  sort -g "$WORK/pgm/$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
init_args=(init --partner-name Bench --support-email ops@bench.test --admin-org "Bench HQ" --admin-email admin@bench.test)

# bolt_store FILE ORGS_CSV and pg_store NAME ORGS_CSV: a fresh store with the
# partner and the orgs (the orgs import is timed as orgs_import_*).
bolt_store() {
  rm -f "$1"
  measure /dev/null "$PC" --db "$1" "${init_args[@]}"
  measure /dev/null "$PC" --db "$1" orgs import "$2"
  record orgs_import_bolt "$T"
}
pg_store() {
  psql_admin "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
  psql_admin "CREATE DATABASE $1"
  measure /dev/null "$PC" --db "$(pg_url "$1")" "${init_args[@]}"
  pg_measure /dev/null "$PC" --db "$(pg_url "$1")" orgs import "$2"
  record orgs_import_pg "$T"
}

# --- the runs: bbolt, then PostgreSQL, on the same data ----------------------------

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$RUNS"); do
  say "run $run of $RUNS: bbolt…"
  db="$WORK/pg-bolt.db"
  bolt_store "$db" "$DATA/orgs.csv"
  measure /dev/null "$PC" --db "$db" events import "$DATA/events.jsonl"
  record import_bolt "$T"; record import_bolt.cpu "$CPU"
  measure /dev/null "$PC" --db "$db" events import "$DATA/events.jsonl"
  record replay_bolt "$T"; record replay_bolt.cpu "$CPU"
  measure "$WORK/pg-bolt-search.json" "$PC" --db "$db" orgs list --search "$SEARCH" -o json
  record search_bolt "$T"
  measure /dev/null "$PC" --db "$db" orgs list --per-page 25 --page 1
  record page_bolt "$T"
  rm -f "$db"

  say "run $run of $RUNS: PostgreSQL…"
  pg_store bench "$DATA/orgs.csv"
  url=$(pg_url bench)
  pg_measure /dev/null "$PC" --db "$url" events import "$DATA/events.jsonl"
  record import_pg "$T"; record import_pg.cpu "$CPU"; record import_pg.scpu "$SCPU"
  pg_measure /dev/null "$PC" --db "$url" events import "$DATA/events.jsonl"
  record replay_pg "$T"; record replay_pg.cpu "$CPU"; record replay_pg.scpu "$SCPU"
  pg_measure "$WORK/pg-pg-search.json" "$PC" --db "$url" orgs list --search "$SEARCH" -o json
  record search_pg "$T"; record search_pg.cpu "$CPU"; record search_pg.scpu "$SCPU"
  pg_measure /dev/null "$PC" --db "$url" orgs list --per-page 25 --page 1
  record page_pg "$T"; record page_pg.cpu "$CPU"; record page_pg.scpu "$SCPU"
  if [ "$pooler" != off ]; then
    purl=$(pooled_url bench)
    "$PC" --db "$purl" whoami >/dev/null || die "whoami through PgBouncer failed"
    pg_measure "$WORK/pg-pooled-search.json" "$PC" --db "$purl" orgs list --search "$SEARCH" -o json
    record search_pooled "$T"; record search_pooled.cpu "$CPU"; record search_pooled.scpu "$SCPU"
    pg_measure /dev/null "$PC" --db "$purl" orgs list --per-page 25 --page 1
    record page_pooled "$T"
  fi
  measure /dev/null "$PC" version
  record startup "$T"
  if [ "$run" = 1 ]; then
    "$PC" --db "$url" doctor >"$WORK/pg-doctor.txt" 2>&1 || die "doctor found problems: $(head -n 3 "$WORK/pg-doctor.txt")"
    record pg_bytes "$("$bindir/psql" -X -A -t -h "$PGDIR" -U postgres -d bench -c 'SELECT pg_database_size(current_database())')"
  fi
done
same_answer=no
cmp -s "$WORK/pg-bolt-search.json" "$WORK/pg-pg-search.json" && same_answer=yes
if [ "$pooler" != off ] && ! cmp -s "$WORK/pg-bolt-search.json" "$WORK/pg-pooled-search.json"; then
  same_answer=no
fi
search_rows=$(grep -o '"id":' "$WORK/pg-pg-search.json" | wc -l)

# --- the first page at several store sizes -----------------------------------------

for size in $PAGE_SIZES; do
  say "first page at $size orgs (PostgreSQL)…"
  if [ -z "${PG_GEN:-}" ]; then
    PG_GEN="$WORK/gen"
    [ -x "$PG_GEN" ] || go build -o "$PG_GEN" ./bench/gen
  fi
  "$PG_GEN" -orgs "$size" -events 0 -seed "$SEED" -now "$NOW" -out "$WORK/pg-data-$size"
  pg_store "page$size" "$WORK/pg-data-$size/orgs.csv"
  for _ in $(seq "$PAGE_RUNS"); do
    pg_measure /dev/null "$PC" --db "$(pg_url "page$size")" orgs list --per-page 25 --page 1
    record "page_pg_$size" "$T"
    record "page_pg_$size.cpu" "$(awk -v c="$CPU" -v s="$SCPU" 'BEGIN { print c + s }')"
  done
  if [ "$pooler" != off ]; then
    "$PC" --db "$(pooled_url "page$size")" whoami >/dev/null || die "whoami through PgBouncer failed"
    for _ in $(seq "$PAGE_RUNS"); do
      pg_measure /dev/null "$PC" --db "$(pooled_url "page$size")" orgs list --per-page 25 --page 1
      record "page_pooled_$size" "$T"
      record "page_pooled_$size.cpu" "$(awk -v c="$CPU" -v s="$SCPU" 'BEGIN { print c + s }')"
    done
  fi
  psql_admin "DROP DATABASE page$size WITH (FORCE)"
  rm -rf "$WORK/pg-data-$size"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------

verdict() {
  local v
  if ! v=$(awk "BEGIN { print ($1) ? 1 : 0 }" 2>/dev/null) || [ -z "$v" ]; then echo "n/a"
  elif [ "$v" = 1 ]; then echo PASS
  else echo FAIL
  fi
}
secs() {
  if [ -z "$1" ]; then echo "—"; return; fi
  awk -v t="$1" 'BEGIN { if (t < 1) printf "%.0f ms", t * 1000; else printf "%.2f s", t }'
}
ratio() {
  if [ -z "$1" ] || [ -z "$2" ]; then echo "—"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) printf "—"; else printf "%.2f", a / b }'
}
count() {
  awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6; else if (n >= 1000 && n % 1000 == 0) printf "%dk", n / 1000; else printf "%d", n }'
}
cpu() { # client [server]
  if [ -z "$1" ]; then echo "—"; return; fi
  if [ -n "${2:-}" ]; then
    awk -v c="$1" -v s="$2" 'BEGIN { printf "%.1f s (%.1f + server %.1f)", c + s, c, s }'
  else
    awk -v c="$1" 'BEGIN { printf "%.1f s", c }'
  fi
}
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }

# direct VERDICT: a verdict on a direct connection; with the pooler on,
# the pooled row's verdict counts and this one is shown in parentheses.
direct() { if [ "$pooler" = off ]; then echo "$1"; else echo "($1)"; fi; }
# page_rows KIND LABEL: the first page at each size, its flatness.
page_rows() {
  local kind=$1 label=$2 size p p_max="" p_small p_large v
  for size in $PAGE_SIZES; do
    p=$(median "page_${kind}_$size")
    [ -z "$p" ] || p_max=$(awk -v a="$p" -v b="${p_max:-0}" 'BEGIN { print (a > b) ? a : b }')
  done
  for size in $PAGE_SIZES; do
    p=$(median "page_${kind}_$size")
    v=$(verdict "$p <= $PAGE_MAX_S")
    [ "$kind" = pooled ] || v=$(direct "$v")
    row "  first page, $(count "$size") orgs, $label (CPU $(secs "$(median "page_${kind}_$size.cpu")"))" "" "$(secs "$p")" "" "≤ 50 ms" "$v"
  done
  p_small=$(median "page_${kind}_$smallest") p_large=$(median "page_${kind}_$largest")
  v=$(verdict "$p_large - $p_small <= $PAGE_GROWTH_MAX_S && $p_max <= $PAGE_MAX_S")
  [ "$kind" = pooled ] || v=$(direct "$v")
  row "  flat, $label: $(count "$largest") orgs vs $(count "$smallest")" "" "$(secs "$p_large") vs $(secs "$p_small")" "" "≤ +20 ms, none over 50 ms" "$v"
}

read -r -a sizes <<<"$PAGE_SIZES"
smallest=${sizes[0]} largest=${sizes[${#sizes[@]} - 1]}
ib=$(median import_bolt) ip=$(median import_pg) rb=$(median replay_bolt) rp=$(median replay_pg)
sb=$(median search_bolt) sp=$(median search_pg) spp=$(median search_pooled)
pb=$(median page_bolt) pp=$(median page_pg) ppp=$(median page_pooled)
{
  echo "partnerctl on PostgreSQL vs bbolt: $(count "$ORGS") orgs, $(count "$EVENTS") events; medians of $RUNS run(s), bbolt and PostgreSQL alternating (first page: $PAGE_RUNS runs per size)"
  echo "$(nproc) CPUs, $("$bindir/postgres" --version), $(go version | cut -d' ' -f3), commit $(git describe --always --dirty 2>/dev/null || echo '?'); server's huge pages $huge_pages; PgBouncer $pooler; load average before $load_before, after $load_after"
  if [ "$ORGS" != 100000 ] || [ "$EVENTS" != 1000000 ]; then
    echo "(not SPEC §13's sizes, 100k orgs and 1M events: the verdicts are only indicative)"
  fi
  echo
  row metric bbolt PostgreSQL ratio target result
  row --- ---: ---: ---: --- ---
  row "events import, $(count "$EVENTS") events (wall)" "$(secs "$ib")" "$(secs "$ip")" "$(ratio "$ip" "$ib")" "≤ $IMPORT_RATIO_MAX × bbolt" \
    "$(verdict "$ip <= $IMPORT_RATIO_MAX * $ib")"
  row "  CPU" "$(cpu "$(median import_bolt.cpu)")" "$(cpu "$(median import_pg.cpu)" "$(median import_pg.scpu)")" "" "" ""
  row "re-import, all duplicates (wall)" "$(secs "$rb")" "$(secs "$rp")" "$(ratio "$rp" "$rb")" "≤ $REPLAY_RATIO_MAX × bbolt" \
    "$(verdict "$rp <= $REPLAY_RATIO_MAX * $rb")"
  row "  CPU" "$(cpu "$(median replay_bolt.cpu)")" "$(cpu "$(median replay_pg.cpu)" "$(median replay_pg.scpu)")" "" "" ""
  row "orgs list --search $SEARCH -o json ($search_rows rows), direct connection" "$(secs "$sb")" "$(secs "$sp")" "$(ratio "$sp" "$sb")" "≤ $SEARCH_RATIO_MAX × bbolt" \
    "$(direct "$(verdict "$sp <= $SEARCH_RATIO_MAX * $sb")")"
  row "  CPU" "" "$(cpu "$(median search_pg.cpu)" "$(median search_pg.scpu)")" "" "" ""
  if [ "$pooler" != off ]; then
    row "  through PgBouncer" "$(secs "$sb")" "$(secs "$spp")" "$(ratio "$spp" "$sb")" "≤ $SEARCH_RATIO_MAX × bbolt" \
      "$(verdict "$spp <= $SEARCH_RATIO_MAX * $sb")"
    row "  CPU" "" "$(cpu "$(median search_pooled.cpu)" "$(median search_pooled.scpu)")" "" "" ""
  fi
  row "  same answer (the JSON, byte for byte)" "" "" "" "identical" "$(if [ "$same_answer" = yes ]; then echo PASS; else echo FAIL; fi)"
  row "orgs list --per-page 25 --page 1, $(count "$ORGS") orgs with events, direct connection" "$(secs "$pb")" "$(secs "$pp")" \
    "$(ratio "$pp" "$pb")" "≤ 50 ms" "$(direct "$(verdict "$pp <= $PAGE_MAX_S")")"
  if [ "$pooler" != off ]; then
    row "  through PgBouncer" "$(secs "$pb")" "$(secs "$ppp")" "$(ratio "$ppp" "$pb")" "≤ 50 ms" "$(verdict "$ppp <= $PAGE_MAX_S")"
  fi
  page_rows pg "direct"
  [ "$pooler" = off ] || page_rows pooled "through PgBouncer"
  row "  (\`partnerctl version\`: a process's start, no store)" "" "$(secs "$(median startup)")" "" "" ""
  row "orgs import, $(count "$ORGS") rows (not a target)" "$(secs "$(median orgs_import_bolt)")" "$(secs "$(median orgs_import_pg)")" \
    "$(ratio "$(median orgs_import_pg)" "$(median orgs_import_bolt)")" "" ""
  row "size, orgs + events (database: not a target)" "" "$(awk -v b="$(median pg_bytes)" 'BEGIN { printf "%.1f MB", b / 1048576 }')" "" "" ""
} | tee "$WORK/pg-results.md"

if grep -q '| FAIL |$' "$WORK/pg-results.md"; then exit 1; fi
