#!/usr/bin/env bash
# Benchmarks: builds in release mode, starts its own PostgreSQL and demo upstream, runs each
# scenario several times, and writes the medians into BENCHMARKS.md.
#   make bench           full sizes
#   make bench QUICK=1   small sizes, for a smoke check (figures are not comparable)
# Environment: REPEAT (runs per scenario, default 3), BENCH_SCRATCH (the release build's directory,
# default .build; P6's load generator, a package of its own in Benchmarks/LoadGenerator, builds in
# BENCH_SCRATCH-loadgen), JOBS (parallel build jobs, default: one per core), ONLY (comma-separated
# scenarios to run, e.g. ONLY=P8 or ONLY=P1,P9 or ONLY=P12; P2, P4, P11 and P13 also run P1, whose
# rates they compare with; with ONLY the table is printed, BENCHMARKS.md is left alone),
# TENANTS12 (P12's tenants alive, default 2000, QUICK 100), IDLE_SECONDS (P12's idle window, default 60,
# QUICK 10), P13_TENANTS and P13_BOOKINGS (P13's sync-all, default 2000 × 200, QUICK 100 × 50),
# PROFILE (a directory: the last P1 sync, P9 re-sync and P10 start are recorded there by
# `perf record -a -g`, as p1.perf, p9.perf and p10.perf; read them with e.g.
# `perf report -i DIR/p1.perf --comm postgres`; P4's and P13's sync-alls as p4.perf and p13.perf
# (the last of the repeats); P8's flood under tenantsync as p8.perf; P6's two fixed-rate loads as p6-tenant.perf and
# p6-all.perf, with PostgreSQL's time per statement in p6-tenant-statements.txt and
# p6-all-statements.txt; P12's supervisor is started once more under heaptrack, and what it holds
# once every worker is ready is summarised by allocation site in DIR/p12-heap.txt; PostgreSQL's own time per statement during the last P1
# sync and the last P4 and P13 sync-alls, from pg_stat_statements, is in DIR/p1-statements.txt,
# DIR/p4-statements.txt and DIR/p13-statements.txt; the table is printed, BENCHMARKS.md is left alone),
# PG_EXTRA_OPTIONS (more `-c name=value` settings for the private PostgreSQL, e.g. auto_explain's).
source "$(dirname "$0")/lib.sh"

ensure_packages
# tool → Debian package; supervisord is the peer, python3-venv holds dlt.
declare -A tools=([curl]=curl [jq]=jq [bc]=bc [supervisord]=supervisor [psql]=postgresql-client)
missing=()
for tool in "${!tools[@]}"; do command -v "$tool" >/dev/null || missing+=("${tools[$tool]}"); done
dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "install ok installed" || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
cd "$REPO_ROOT"
source "$REPO_ROOT/scripts/bench/helpers.sh"

QUICK="${QUICK:-0}"
REPEAT="${REPEAT:-3}"
BENCH_SCRATCH="${BENCH_SCRATCH:-.build}"
if [ "$QUICK" = "1" ]; then
  BOOKINGS=5000; TENANTS=20; REPEAT=1
  P4_TENANTS=20; P4_BOOKINGS=500; FLOOD_SECONDS=2; FLOOD_WAIT=8; DLT_BOOKINGS=1000; WRK_SECONDS=2
  TENANTS12="${TENANTS12:-100}"; IDLE_SECONDS="${IDLE_SECONDS:-10}"; P13_TENANTS="${P13_TENANTS:-100}"; P13_BOOKINGS="${P13_BOOKINGS:-50}"
else
  BOOKINGS=100000; TENANTS=200
  P4_TENANTS=200; P4_BOOKINGS=2000; FLOOD_SECONDS=10; FLOOD_WAIT=60; DLT_BOOKINGS=10000; WRK_SECONDS=10
  TENANTS12="${TENANTS12:-2000}"; IDLE_SECONDS="${IDLE_SECONDS:-60}"; P13_TENANTS="${P13_TENANTS:-2000}"; P13_BOOKINGS="${P13_BOOKINGS:-200}"
fi
P11_PAGES=$(( BOOKINGS / 100 < 200 ? BOOKINGS / 100 : 200 ))
PROTOCOL_VERSION=$(sed -n 's/.*static let current = \([0-9]*\).*/\1/p' Sources/IPC/ProtocolVersion.swift)
BENCH_START=$(date +%s)

jobs=(); [ -n "${JOBS:-}" ] && jobs=(-j "$JOBS")
log "building (release, in $BENCH_SCRATCH)"
for product in tenantsync-worker tenantsync-worker-testkit tenantsync tenantsync-demo-upstream; do
  output=$(swift build -c release "${jobs[@]}" --static-swift-stdlib --scratch-path "$BENCH_SCRATCH" --product "$product" 2>&1) || { printf '%s\n' "$output" | grep -E 'error:' >&2; die "release build of $product failed"; }
done
BIN="$(swift build -c release --static-swift-stdlib --scratch-path "$BENCH_SCRATCH" --show-bin-path)"
# P6's fixed-rate load generator: a package of its own, so the product's build never compiles it.
if wanted P6; then
  loadgen_scratch="${BENCH_SCRATCH%/}-loadgen"
  output=$(swift build -c release "${jobs[@]}" --package-path Benchmarks/LoadGenerator --scratch-path "$loadgen_scratch" 2>&1) || { printf '%s\n' "$output" | grep -E 'error:' >&2; die "release build of the load generator failed"; }
  LOADGEN="$(swift build -c release --package-path Benchmarks/LoadGenerator --scratch-path "$loadgen_scratch" --show-bin-path)/tenantsync-loadgen"
fi
# The worker with its test hooks (faults, a hello of its own, fetch-benchmark), never shipped: for P8's
# flood, the supervisord and shell-loop peers that send no hello, and P11.
TESTKIT="$BIN/tenantsync-worker-testkit"
BUILT=$(date +%s)

WORK="$(mktemp -d /tmp/tenantsync-bench.XXXXXX)"
chmod 755 "$WORK"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_private_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT
# What P12's and P13's thousands of workers need. Open files: the supervisor holds three pipes per
# worker, supervisord its pipes and a log file per program. PostgreSQL: an idle worker holds no
# session, but a worker keeps its session for 10 s after each run, so a sync-all of short runs leaves
# up to one session per tenant open; the private cluster's 400 are raised to that.
most_workers=0
wanted P12 && most_workers=$TENANTS12
wanted P13 && [ "$P13_TENANTS" -gt "$most_workers" ] && most_workers=$P13_TENANTS
files=$(( 6 * most_workers + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$files" ]; then
  ulimit -n "$files" 2>/dev/null || die "P12/P13 need $files open files; the hard limit is $(ulimit -Hn) (raise it, e.g. LimitNOFILE= or limits.conf)"
fi
if wanted P13 && [ "$P13_TENANTS" -gt 300 ]; then
  PG_EXTRA_OPTIONS="-c max_connections=$(( P13_TENANTS + 100 )) ${PG_EXTRA_OPTIONS:-}"
fi
[ -n "${PROFILE:-}" ] && PG_EXTRA_OPTIONS="${PG_EXTRA_OPTIONS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.max=20000 -c pg_stat_statements.track_planning=on"
start_private_postgres "$WORK/pg"
export TENANTSYNC_API_KEY="bench-key"
export TENANTSYNC_MASTER_KEY="${TENANTSYNC_MASTER_KEY:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"

# --- P1 and P9: one tenant, full sync into an empty database, then a re-sync with nothing changed.
if wanted P1 P9 P2 P4 P11 P13; then
start_upstream p1 bench-hotel "$BOOKINGS" 0
p1=(); p1copy=(); p9=(); rewritten=0; rows=0
for _ in $(seq 1 "$REPEAT"); do
  fresh_database
  write_config "$DB" "$WORK/p1.json"
  start_supervisor "$WORK/p1.json"; wait_ready 1
  pg_before=$(postgres_cpu)
  statements_reset
  profile_start p1
  p1+=("$(sync_all)")
  profile_stop
  statements_save p1
  p1_pg_cpu=$(echo "$(postgres_cpu) - $pg_before" | bc -l)
  rows=$(psql "$DB" -qtAc "SELECT count(*) FROM reservations")
  p1_usage=$(usage "$SUPERVISOR_PID" supervisor)
  pg_before=$(postgres_cpu)
  profile_start p9
  p9+=("$(sync_all full=true)")
  profile_stop
  p9_pg_cpu=$(echo "$(postgres_cpu) - $pg_before" | bc -l)
  rewritten=$(psql "$DB" -qtAc "SELECT coalesce(sum(created + updated), 0) FROM sync_run_tenants WHERE run_id = '$(cat "$WORK/last-run")'")
  stop_supervisor
  # The physical limit: psql COPY of the very same rows into the same table.
  psql "$DB" -qc "\\copy reservations TO '$WORK/reservations.copy'"
  psql "$DB" -qc "TRUNCATE reservations"
  start=$(now); psql "$DB" -qc "\\copy reservations FROM '$WORK/reservations.copy'"; end=$(now)
  p1copy+=("$(echo "$end - $start" | bc -l)")
done
p1_median=$(printf '%s\n' "${p1[@]}" | median)
copy_median=$(printf '%s\n' "${p1copy[@]}" | median)
p9_median=$(printf '%s\n' "${p9[@]}" | median)
p1_rate=$(echo "$rows / $p1_median" | bc -l | xargs printf '%.0f')
p1_bookings_rate=$(echo "$BOOKINGS / $p1_median" | bc -l | xargs printf '%.0f')
copy_rate=$(echo "$rows / $copy_median" | bc -l | xargs printf '%.0f')
# COPY's rate in bookings: the reservation rows of P1's bookings, written by COPY, per second.
copy_bookings_rate=$(echo "$BOOKINGS / $copy_median" | bc -l | xargs printf '%.0f')
row "P1 full sync, 1 tenant, $BOOKINGS bookings ($rows reservation rows)" "$(printf '%.2f s, %s rows/s (%s bookings/s); psql COPY of the same rows %s rows/s; ratio %.2f' "$p1_median" "$p1_rate" "$p1_bookings_rate" "$copy_rate" "$(echo "$p1_rate / $copy_rate" | bc -l)")" "≥ 0.8 of COPY" "$p1_usage (after the full sync); PostgreSQL CPU $(printf '%.2f' "$p1_pg_cpu") s during the last sync"
row "P9 re-sync with full=true, nothing changed (every page fetched and compared)" "$(printf '%.2f s, %s rows rewritten, %.2f of P1' "$p9_median" "$rewritten" "$(echo "$p9_median / $p1_median" | bc -l)")" "0 rewritten; ≤ 0.15 of P1" "PostgreSQL CPU $(printf '%.2f' "$p9_pg_cpu") s during the last re-sync"
fi

# --- P11: fetch and parse only, against the same upstream, and the upstream's own serving rate.
if wanted P11; then
api_root=$(site_field 1 motopress); ck=$(site_field 1 consumer_key); cs=$(site_field 1 consumer_secret)
serve=()
for _ in $(seq 1 "$REPEAT"); do
  start=$(now)
  curl -sf --no-progress-meter --parallel --parallel-max 4 -u "$ck:$cs" -o /dev/null "$api_root/bookings?per_page=100&page=[1-$P11_PAGES]" 2>/dev/null
  serve+=("$(echo "$(now) - $start" | bc -l)")
done
serve_rate=$(echo "$P11_PAGES * 100 / $(printf '%s\n' "${serve[@]}" | median)" | bc -l | xargs printf '%.0f')
serve_note="the demo upstream alone serves $P11_PAGES pages of 100 bookings at $serve_rate bookings/s (curl, 4 in parallel, bodies discarded)"
if timeout 10 "$TESTKIT" fetch-benchmark --help </dev/null >"$WORK/p11-help" 2>&1 && grep -q -- '--pages' "$WORK/p11-help"; then
  site_base="${api_root%/wp-json/mphb/v1}"
  if grep -q -- '--base-url' "$WORK/p11-help"; then
    p11_args=(--base-url "$site_base" --consumer-key "$ck" --consumer-secret "$cs")
  else
    p11_args=("$site_base" "$ck" "$cs")
  fi
  p11=()
  for _ in $(seq 1 "$REPEAT"); do
    line=$("$TESTKIT" fetch-benchmark "${p11_args[@]}" --pages "$P11_PAGES" --per-page 100 </dev/null | grep '^{' | tail -n 1)
    p11+=("$(echo "$line" | jq '.bookings / .seconds')")
  done
  row "P11 $P11_PAGES pages of 100 bookings fetched and parsed by one worker (no database)" "$(printf '%.0f bookings/s' "$(printf '%s\n' "${p11[@]}" | median)")" "≥ 50,000 bookings/s" "$serve_note"
else
  row "P11 $P11_PAGES pages of 100 bookings fetched and parsed by one worker (no database)" "P11 not measured yet (the worker test kit has no fetch-benchmark command)" "≥ 50,000 bookings/s" "$serve_note"
fi
kill -TERM "$UPSTREAM_PID"
fi

# --- P2: dlt's rest_api source with merge, from a demo upstream like P1's, into the same PostgreSQL.
if wanted P2; then
start_upstream p2 dlt-hotel "$DLT_BOOKINGS" 0
venv="$WORK/dlt-venv"
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)
# dlt insists on a password; the private PostgreSQL trusts loopback and ignores it.
if "$python" -m venv "$venv" >/dev/null 2>&1 && timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check "dlt[postgres]" >"$WORK/pip.log" 2>&1; then
  p2=()
  for _ in $(seq 1 "$REPEAT"); do
    fresh_database
    rm -rf "$WORK/dlt-state"
    line=$(DLT_DATA_DIR="$WORK/dlt-state" RUNTIME__DLTHUB_TELEMETRY=false "$venv/bin/python" "$REPO_ROOT/scripts/bench/dlt_bookings.py" \
      "$(site_field 1 motopress)" "$(site_field 1 consumer_key)" "$(site_field 1 consumer_secret)" "${DB/postgres@/postgres:unused@}" 2>>"$WORK/dlt.log" | tail -n 1)
    p2+=("$(echo "$line" | jq '.records / .seconds')")
    dlt_records=$(echo "$line" | jq .records)
  done
  p2_rate=$(printf '%s\n' "${p2[@]}" | median | xargs printf '%.0f')
  row "P2 dlt rest_api source, merge, $DLT_BOOKINGS bookings from the same demo upstream" "$(printf 'dlt %s bookings/s (%s loaded); tenantsync (P1) %s bookings/s; psql COPY (P1) %s bookings/s. tenantsync ÷ dlt %.1f; dlt ÷ COPY %.2f; tenantsync ÷ COPY %.2f' "$p2_rate" "$dlt_records" "$p1_bookings_rate" "$copy_bookings_rate" "$(echo "$p1_bookings_rate / $p2_rate" | bc -l)" "$(echo "$p2_rate / $copy_bookings_rate" | bc -l)" "$(echo "$p1_bookings_rate / $copy_bookings_rate" | bc -l)")" "none: reported against COPY, the limit" "dlt $("$venv/bin/python" -c 'import dlt; print(dlt.__version__)'): page-number pagination stopping at X-WP-TotalPages, 100 per page, Basic auth, nested fields as dlt's child tables; dlt's time covers extract, normalise and load; COPY's bookings/s: P1's $BOOKINGS bookings ÷ the seconds psql COPY takes to write their reservation rows"
else
  row "P2 dlt rest_api source, merge" "P2 not measured: dlt could not be installed" "none: reported against COPY, the limit" "pip install \"dlt[postgres]\" failed (no network?)"
fi
kill -TERM "$UPSTREAM_PID"
fi

# --- P3: the seed-004 shape: estimates, 1,609 records, 100 per page, 200 ms per page.
if wanted P3; then
start_upstream p3 estimates-hotel 10 200 --estimates 1609
p3=()
for _ in $(seq 1 "$REPEAT"); do
  fresh_database
  CONNECTOR=estimates write_config "$DB" "$WORK/p3.json"
  start_supervisor "$WORK/p3.json"; wait_ready 1
  start=$(now); sync_all >/dev/null; p3+=("$(echo "$(now) - $start" | bc -l)")
  estimates=$(psql "$DB" -qtAc "SELECT count(*) FROM estimates")
  p3_usage=$(usage "$SUPERVISOR_PID" supervisor)
  stop_supervisor
done
kill -TERM "$UPSTREAM_PID"
row "P3 estimates, 1,609 records, 100 per page, 200 ms upstream latency per page" "$(printf '%.2f s end to end (%s estimates stored)' "$(printf '%s\n' "${p3[@]}" | median)" "$estimates")" "≤ 1.2 s" "from sending POST /api/sync?background=false to its answer, sent when the run has ended; $p3_usage"
fi

# --- P4: sync-all of many tenants against P1's single-tenant rate.
if wanted P4; then
sync_many p4 "$P4_TENANTS" "$P4_BOOKINGS"
p4_ideal=$(echo "$MANY_ROWS / $p1_rate" | bc -l)
row "P4 sync-all, $P4_TENANTS tenants × $P4_BOOKINGS bookings ($MANY_ROWS reservation rows)" "$(printf '%.2f s; at P1'\''s rate %.2f s; ratio %.2f' "$MANY_MEDIAN" "$p4_ideal" "$(echo "$MANY_MEDIAN / $p4_ideal" | bc -l)")" "≤ 1.3" "concurrency ${CONCURRENCY:-4}; $MANY_OUTCOME; $MANY_USAGE"
fi

# --- P13: sync-all of thousands of small tenants against P1's single-tenant rate.
if wanted P13; then
sync_many p13 "$P13_TENANTS" "$P13_BOOKINGS"
p13_ideal=$(echo "$MANY_ROWS / $p1_rate" | bc -l)
row "P13 sync-all, $P13_TENANTS tenants × $P13_BOOKINGS bookings ($MANY_ROWS reservation rows)" "$(printf '%.2f s; at P1'\''s rate %.2f s; ratio %.2f; %s' "$MANY_MEDIAN" "$p13_ideal" "$(echo "$MANY_MEDIAN / $p13_ideal" | bc -l)" "$MANY_OUTCOME")" "≤ 1.0; every tenant succeeded" "wall time from the run's own timestamps; P1's rate $p1_rate rows/s; concurrency ${CONCURRENCY:-4}; PostgreSQL CPU $MANY_PG_CPU s during the run$([ -n "${PROFILE:-}" ] && echo ", $MANY_STATEMENTS statements"); $MANY_USAGE (peak over the supervisor's life: starting every worker and the run); $MANY_SESSIONS PostgreSQL sessions open when the run ended (a worker keeps its own for 10 s after its run)"
fi

# --- P10, P5 and P7: many tenants' workers, then supervisord with as many programs.
if wanted P10 P5 P7; then
sites=$(seq -f "site-%g" 1 "$TENANTS" | paste -sd, -)
start_upstream many "$sites" 10 0
fresh_database
write_config "$DB" "$WORK/many.json"
# P5's baseline: the same supervisor with no tenant at all.
write_config "$DB" "$WORK/none.json" 0
start_supervisor "$WORK/none.json"
api "$API/api/tenants" >/dev/null
idle_rss=$(rss_kib "$SUPERVISOR_PID"); idle_anon=$(anon_kib "$SUPERVISOR_PID")
stop_supervisor
p10=(); p10api=(); p7=()
for _ in $(seq 1 "$REPEAT"); do
  profile_start p10
  start_supervisor "$WORK/many.json"
  wait_ready "$TENANTS"
  profile_stop
  p10+=("$(echo "$(now) - $SUPERVISOR_START" | bc -l)")
  p10api+=("$(echo "$SUPERVISOR_UP - $SUPERVISOR_START" | bc -l)")
  supervisor_rss=$(rss_kib "$SUPERVISOR_PID"); supervisor_pss=$(pss_kib "$SUPERVISOR_PID"); supervisor_anon=$(anon_kib "$SUPERVISOR_PID")
  p10_usage=$(usage "$SUPERVISOR_PID" supervisor)
  worker_pid=$(api "$API/api/tenants" | jq -r '.tenants[0].pid')
  worker_rss=$(rss_kib "$worker_pid"); worker_pss=$(pss_kib "$worker_pid"); worker_anon=$(anon_kib "$worker_pid")
  p7+=("$(restart_seconds)")
  supervisor_threads=$(ls "/proc/$SUPERVISOR_PID/task" | wc -l)
  stop_supervisor
done
svd_hello "$DB"
s10=(); s7=()
for _ in $(seq 1 "$REPEAT"); do
  start_supervisord "$TENANTS" TENANTSYNC_WORKER_FAULT=none
  for _ in $(seq 1 6000); do [ "$(svd_ready_count)" -ge "$TENANTS" ] && break; sleep 0.01; done
  s10+=("$(echo "$(now) - $SVD_START" | bc -l)")
  svd_rss=$(rss_kib "$SVD_PID"); svd_pss=$(pss_kib "$SVD_PID"); svd_anon=$(anon_kib "$SVD_PID")
  s10_usage=$(usage "$SVD_PID" supervisord)
  worker_pid=$(grep '"type":"ready"' "$WORK/sv/w1.out" | tail -n 1 | jq .pid)
  start=$(now); kill -KILL "$worker_pid"
  for _ in $(seq 1 5000); do [ "$(grep -c '"type":"ready"' "$WORK/sv/w1.out")" -ge 2 ] && break; sleep 0.002; done
  s7+=("$(echo "$(now) - $start" | bc -l)")
  stop_supervisord
done
kill -TERM "$UPSTREAM_PID"
p10_median=$(printf '%s\n' "${p10[@]}" | median); s10_median=$(printf '%s\n' "${s10[@]}" | median)
# The floor under both: the same workers started by a plain shell loop (shell_loop_seconds).
bare=()
for _ in $(seq 1 "$REPEAT"); do bare+=("$(shell_loop_seconds "$TENANTS")"); done
bare_median=$(printf '%s\n' "${bare[@]}" | median)
p7_median=$(printf '%s\n' "${p7[@]}" | median); s7_median=$(printf '%s\n' "${s7[@]}" | median)
row "P10 start $TENANTS workers to ready" "$(printf 'tenantsync %.2f s; supervisord %.2f s; plain shell loop %.2f s; ratio to the shell loop %.2f (to supervisord %.2f)' "$p10_median" "$s10_median" "$bare_median" "$(ratio "$p10_median" "$bare_median")" "$(ratio "$p10_median" "$s10_median")")" "≤ 1.15× the plain shell loop" "the same $TENANTS workers started by a plain shell loop, all at once, reach \`ready\` in $(printf '%.2f' "$bare_median") s: the floor for any supervisor on this machine; from launching the supervisor to every worker's \`ready\` (tenantsync: its API answered after $(printf '%.2f' "$(printf '%s\n' "${p10api[@]}" | median)") s (migrations checked, leases taken), the rest is spawning the workers and their handshakes; readiness from the state in GET /api/tenants; supervisord: the \`ready\` line in each program's stdout log, startsecs=0, the worker saying its own hello); $p10_usage; $s10_usage"
row "P5 memory with $TENANTS workers alive" "RSS: supervisor $((supervisor_rss / 1024)) MiB; one idle worker $((worker_rss / 1024)) MiB; supervisord $((svd_rss / 1024)) MiB. PSS: supervisor $((supervisor_pss / 1024)) MiB; one idle worker $((worker_pss / 1024)) MiB; supervisord $((svd_pss / 1024)) MiB. Own memory (RssAnon: heap and stacks, no file pages): supervisor $((supervisor_anon / 1024)) MiB; one idle worker $((worker_anon / 1024)) MiB; supervisord $((svd_anon / 1024)) MiB" "≤ 34 MB; ≤ 15 MB" "with no tenant the supervisor holds $((idle_rss / 1024)) MiB RSS, of which $((idle_anon / 1024)) MiB its own (the rest is pages of its binary and libraries); once every worker is ready the supervisor runs $supervisor_threads threads (every worker's pipes are read by one event loop); binaries built with --static-swift-stdlib. RSS counts every page a process maps, shared ones (the worker binary's code, libpq, libcurl, OpenSSL) in full in each of the $TENANTS workers; PSS divides shared pages among the processes sharing them, so a worker's PSS is what each additional tenant costs"
row "P7 kill -9 a worker → replacement ready" "$(printf 'tenantsync %.3f s; supervisord %.3f s; ratio %.2f' "$p7_median" "$s7_median" "$(ratio "$p7_median" "$s7_median")")" "≤ supervisord, default settings" "until the new process has sent \`ready\` (tenantsync: polled over the API every few ms; default settings: the worker had been up over \`stable_uptime\` (1 s) with no other crash within \`crash_window\`, so it is replaced at once, as supervisord replaces a program up past its \`startsecs\`; supervisord: autorestart=true, startsecs=0, the new \`ready\` line in the program's log)"
fi

# --- P12: thousands of tenants' workers alive and idle, under tenantsync and under supervisord.
if wanted P12; then
sites=$(seq -f "idle-%g" 1 "$TENANTS12" | paste -sd, -)
start_upstream p12 "$sites" 10 0
fresh_database
write_config "$DB" "$WORK/p12.json"
hz=$(getconf CLK_TCK)
# idle_cpu PID → CPU seconds per minute of PID, then of its children together, over IDLE_SECONDS of
# nobody asking anything (no API poll, no sync, no log line but the workers' own).
idle_cpu() {
  local self kids
  self=$(cpu_ticks "$1"); kids=$(children_ticks "$1")
  sleep "$IDLE_SECONDS"
  echo "$(( $(cpu_ticks "$1") - self )) $(( $(children_ticks "$1") - kids ))" | awk -v hz="$hz" -v s="$IDLE_SECONDS" '{printf "%.2f %.2f", $1 / hz * 60 / s, $2 / hz * 60 / s}'
}
p12=()
for _ in $(seq 1 "$REPEAT"); do
  start_supervisor "$WORK/p12.json"
  # Polled every 100 ms: GET /api/tenants lists every tenant, and a 10 ms poll would take a core.
  wait_ready "$TENANTS12" 0.1 900
  p12+=("$(echo "$(now) - $SUPERVISOR_START" | bc -l)")
  stop_supervisor
done
# Measured once, after a last start: every worker ready, then IDLE_SECONDS of nothing.
start_supervisor "$WORK/p12.json"
wait_ready "$TENANTS12" 0.1 900
p12_sessions=$(pg_sessions)
read -r p12_cpu p12_workers_cpu <<<"$(idle_cpu "$SUPERVISOR_PID")"
p12_rss=$(rss_kib "$SUPERVISOR_PID"); p12_anon=$(anon_kib "$SUPERVISOR_PID"); p12_threads=$(threads "$SUPERVISOR_PID")
p12_sessions_idle=$(pg_sessions)
# The first scrape of /metrics makes every tenant's series; after the idle window, so it is not counted there.
p12_scrape=$(curl -s -o "$WORK/p12-metrics.txt" -w '%{time_total}' --max-time 600 -H "X-API-KEY: $TENANTSYNC_API_KEY" "$API/metrics" || echo failed)
p12_series=$(grep -vc '^#' "$WORK/p12-metrics.txt" 2>/dev/null || echo 0)
stop_supervisor
# PROFILE: one more start under heaptrack, for what the idle supervisor's own memory is made of.
[ -n "${PROFILE:-}" ] && heap_profile "$WORK/p12.json" "$TENANTS12" p12
svd_hello "$DB"
s12=()
for i in $(seq 1 "$REPEAT"); do
  start_supervisord "$TENANTS12" TENANTSYNC_WORKER_FAULT=none
  deadline=$(( $(date +%s) + 900 ))
  until [ "$(svd_ready_count)" -ge "$TENANTS12" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "P12: supervisord's programs not ready: $(svd_ready_count) of $TENANTS12"
    sleep 0.1
  done
  s12+=("$(echo "$(now) - $SVD_START" | bc -l)")
  if [ "$i" -eq "$REPEAT" ]; then
    read -r s12_cpu s12_workers_cpu <<<"$(idle_cpu "$SVD_PID")"
    s12_rss=$(rss_kib "$SVD_PID"); s12_anon=$(anon_kib "$SVD_PID"); s12_threads=$(threads "$SVD_PID")
  fi
  stop_supervisord
done
kill -TERM "$UPSTREAM_PID"
# The floor: the same workers started by a plain shell loop, as in P10.
b12=()
for _ in $(seq 1 "$REPEAT"); do b12+=("$(shell_loop_seconds "$TENANTS12")"); done
rm -rf "$WORK/bare" "$WORK/sv"
p12_median=$(printf '%s\n' "${p12[@]}" | median); s12_median=$(printf '%s\n' "${s12[@]}" | median); b12_median=$(printf '%s\n' "${b12[@]}" | median)
row "P12 $TENANTS12 tenants alive and idle" "$(printf 'supervisor: RSS %d MiB, own memory (RssAnon) %d MiB, threads %d, idle CPU %.2f s/min; supervisord: RSS %d MiB, own memory %d MiB, threads %d, idle CPU %.2f s/min. To all ready: tenantsync %.2f s, supervisord %.2f s, plain shell loop %.2f s (tenantsync ÷ shell loop %.2f)' \
  $((p12_rss / 1024)) $((p12_anon / 1024)) "$p12_threads" "$p12_cpu" $((s12_rss / 1024)) $((s12_anon / 1024)) "$s12_threads" "$s12_cpu" \
  "$p12_median" "$s12_median" "$b12_median" "$(ratio "$p12_median" "$b12_median")")" \
  "supervisor threads ≤ 32; RSS ≤ supervisord's; idle CPU ≤ supervisord's" \
  "idle CPU: the process's user and system CPU over $IDLE_SECONDS s with every worker ready and nothing asked, per minute; the workers' own together: $p12_workers_cpu s/min under tenantsync, $s12_workers_cpu s/min under supervisord (a heartbeat every 2 s under both); PostgreSQL sessions with all $TENANTS12 workers ready: $p12_sessions, after the idle window: $p12_sessions_idle (an idle worker holds none); the first GET /metrics after it took $p12_scrape s for $p12_series samples; ready as in P10 (tenantsync: GET /api/tenants polled every 100 ms; supervisord and the shell loop: each worker's \`ready\` line), the shell loop and supervisord's programs run the worker test kit giving itself its hello"
fi

# --- P8: 8 workers logging as fast as they can, under tenantsync and under supervisord.
if wanted P8; then
sites=$(seq -f "flood-%g" 1 8 | paste -sd, -)
start_upstream flood "$sites" 10 0
fresh_database
f_ts=(); f_sv=()
for _ in $(seq 1 "$REPEAT"); do
  rm -rf "$WORK/flood-data"
  DATA_DIR="$WORK/flood-data" EXTRA_CONFIG='"logs": {"max_file_bytes": 1099511627776, "max_files": 2}, "worker_path": "'"$TESTKIT"'"' \
    write_config "$DB" "$WORK/flood.json"
  TENANTSYNC_WORKER_FAULT=log-flood TENANTSYNC_WORKER_FLOOD_SECONDS="$FLOOD_SECONDS" start_supervisor "$WORK/flood.json"
  profile_start p8
  measure_flood tenantsync
  profile_stop
  f_ts+=("${FLOOD_RESULT%% *}"); ts_result=$FLOOD_RESULT
  p8_usage=$(usage "$SUPERVISOR_PID" supervisor)
  p8_dropped=$(api "$API/api/tenants" | jq '[.tenants[].dropped_log_lines // 0] | add')
  stop_within 10 "$SUPERVISOR_PID"
  svd_hello "$DB"
  start_supervisord 8 TENANTSYNC_WORKER_FAULT=log-flood TENANTSYNC_WORKER_FLOOD_SECONDS="$FLOOD_SECONDS"
  measure_flood supervisord
  f_sv+=("${FLOOD_RESULT%% *}"); sv_result=$FLOOD_RESULT
  s8_usage=$(usage "$SVD_PID" supervisord)
  stop_supervisord
  rm -rf "$WORK/sv" "$WORK/flood-data"
done
kill -TERM "$UPSTREAM_PID"
p8_median=$(printf '%s\n' "${f_ts[@]}" | median); s8_median=$(printf '%s\n' "${f_sv[@]}" | median)
row "P8 8 workers logging as fast as they can for $FLOOD_SECONDS s" "$(read -r _ a b c <<<"$ts_result"; flood_summary tenantsync "$p8_median" "$a" "$b" "$c"); $(read -r _ a b c <<<"$sv_result"; flood_summary supervisord "$s8_median" "$a" "$b" "$c"); ratio $(ratio "$p8_median" "$s8_median")" "≥ 1× supervisord, 0 lost" "the same worker binary writing the same compact \`log\` lines (about 40 bytes, the worker's own framing, docs/ipc.md) in 64 KiB writes; tenantsync checks each line's header, stamps it and copies it into its tenant's log file and in-memory ring, supervisord copies the raw bytes; counts from the last run; tenantsync's own dropped-line counter read $p8_dropped; $p8_usage; $s8_usage"
fi

# --- P6: POST /api/sync latency at a fixed 1,000 requests/s, from each request's intended send time.
if wanted P6; then
start_upstream p6 p6-hotel 10 0
fresh_database
write_config "$DB" "$WORK/p6.json"
start_supervisor "$WORK/p6.json"; wait_ready 1
p6_tenant=$(api "$API/api/tenants" | jq -r '.tenants[0].id')
# 10 keep-alive connections; request k is due at k ms and goes out on connection k mod 10, late if
# that connection still waits for an earlier answer, and its latency counts from when it was due.
loadgen_line() {
  "$LOADGEN" --url "$1" --method "${2:-POST}" --rate 1000 --seconds "$WRK_SECONDS" --connections 10 \
    --header "X-API-KEY: $TENANTSYNC_API_KEY" 2>>"$WORK/loadgen.log" | grep '^loadgen-result'
}
statements_reset; profile_start p6-tenant
p6_tenant_line=$(loadgen_line "$API/api/tenants/$p6_tenant/sync")
profile_stop; statements_save p6-tenant
p6_tenant_usage=$(usage "$SUPERVISOR_PID" supervisor)
statements_reset; profile_start p6-all
p6_all_line=$(loadgen_line "$API/api/sync")
profile_stop; statements_save p6-all
# The same load on GET /health, which touches no database: the HTTP path's own share of the latency.
p6_health_line=$(loadgen_line "$API/health" GET)
p6_runs=$(psql "$DB" -qtAc "SELECT count(*) FROM sync_runs")
p6_usage=$(usage "$SUPERVISOR_PID" supervisor)
stop_supervisor
kill -TERM "$UPSTREAM_PID"
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# latency LINE → "p50 … ms, p90 …, p99 …, p99.9 …, max … ms; N sent at R requests/s answered; errors/non-2xx E/N"
latency() {
  printf 'p50 %s ms, p90 %s, p99 %s, p99.9 %s, max %s ms; %s sent, answered at %s requests/s; errors/non-2xx %s/%s' \
    "$(field "$1" p50_ms)" "$(field "$1" p90_ms)" "$(field "$1" p99_ms)" "$(field "$1" p999_ms)" "$(field "$1" max_ms)" \
    "$(field "$1" sent)" "$(field "$1" rate)" "$(field "$1" errors)" "$(field "$1" non2xx)"
}
p6_how="tenantsync-loadgen (Benchmarks/LoadGenerator): a fixed 1,000 requests/s for $WRK_SECONDS s over 10 keep-alive HTTP/1.1 connections on loopback, each latency from the request's intended send time (no coordinated omission), in an HdrHistogram; one tenant of 10 bookings"
row "P6 POST /api/tenants/{id}/sync at a fixed 1,000 requests/s" "$(latency "$p6_tenant_line")" "p99 ≤ 2 ms at 1,000 requests/s" \
  "$p6_how; a tenant-scoped request joins its tenant's sync in progress; the same load on GET /health (no database): $(latency "$p6_health_line"); $p6_tenant_usage"
row "P6 POST /api/sync at a fixed 1,000 requests/s" "$(latency "$p6_all_line")" "p99 ≤ 5 ms at 1,000 requests/s" \
  "measured as the row above, after it; a POST /api/sync joins a stored sync-all none of whose tenants has started, or stores a run ($p6_runs runs stored by both loads); $p6_usage"
fi

BENCH_SECONDS=$(( $(date +%s) - BUILT ))
log "scenarios took $BENCH_SECONDS s (build $(( BUILT - BENCH_START )) s)"

# --- Write the table, keeping the hand-kept record of changes and their effect.
if [ -n "${ONLY:-}" ] || [ -n "${PROFILE:-}" ]; then
  printf '%s\n' "| scenario | result | target | notes |" "|---|---|---|---|" "${results[@]}"
  log "${ONLY:+ONLY=$ONLY }${PROFILE:+PROFILE (perf slows what it records) }: BENCHMARKS.md left as it was"
  exit 0
fi
history=""
[ -f "$REPO_ROOT/BENCHMARKS.md" ] && history=$(sed -n '/^## What was changed/,$p' "$REPO_ROOT/BENCHMARKS.md")
{
  echo "# Benchmarks"
  echo
  echo "Every figure below was written by \`make bench$([ "$QUICK" = "1" ] && echo " QUICK=1")\` (scripts/bench.sh); rerun it to refresh them."
  echo "Medians of $REPEAT run(s). Release build, private PostgreSQL (fsync off), demo upstream on loopback."
  echo "The scenarios took $BENCH_SECONDS s after the build."
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- commit: $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB memory, $(uname -m)"
  echo "- peers: $(supervisord --version 2>/dev/null | sed 's/^/supervisord /')"
  echo
  echo "| scenario | result | target | notes |"
  echo "|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  if [ -n "$history" ]; then echo; printf '%s\n' "$history"; fi
} >"$REPO_ROOT/BENCHMARKS.md"
printf '%s\n' "| scenario | result | target | notes |" "|---|---|---|---|" "${results[@]}"
log "wrote BENCHMARKS.md"
