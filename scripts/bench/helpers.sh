# Helpers for scripts/bench.sh, sourced by it before its build: timing, process measurements, the
# supervisor, supervisord and demo upstream under test, the API, and P8's flood measurement. They read
# the script's globals (WORK, BIN, API, DB, PG_PORT, …) when called.
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Proportional set size: the process's own pages plus its share of pages it shares (binary, libraries).
# CPU seconds of every PostgreSQL process of the private cluster (server and backends).
postgres_cpu() {
  # The postmaster's own time plus its reaped children's (backends that ended), plus live backends'.
  local hz master; hz=$(getconf CLK_TCK); master=$(head -n 1 "$PG_DATA_DIR/postmaster.pid")
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat"
    for pid in $(pgrep -P "$master"); do awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null; done
  } | awk -v hz="$hz" '{t += $1} END {printf "%.2f", t / hz}'
}
pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
# anon_kib PID: resident memory that is the process's own (heap, stacks), not pages of files it maps.
anon_kib() { awk '/RssAnon/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# usage PID → the process's peak RSS and CPU seconds, and those of its live children (the workers).
usage() {
  local hz self_cpu self_peak kid kid_cpu=0 kid_peak=0 kids=0 cpu peak
  hz=$(getconf CLK_TCK)
  self_cpu=$(awk -v hz="$hz" '{print ($14+$15)/hz}' "/proc/$1/stat" 2>/dev/null || echo 0)
  self_peak=$(awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
  for kid in $(pgrep -P "$1" || true); do
    cpu=$(awk -v hz="$hz" '{print ($14+$15)/hz}' "/proc/$kid/stat" 2>/dev/null || echo 0)
    peak=$(awk '/VmHWM/ {print $2}' "/proc/$kid/status" 2>/dev/null || echo 0)
    kid_cpu=$(echo "$kid_cpu + $cpu" | bc -l)
    [ "$peak" -gt "$kid_peak" ] && kid_peak=$peak
    kids=$((kids + 1))
  done
  printf '%s peak RSS %d MiB, CPU %.2f s; workers (%d): largest peak RSS %d MiB, CPU %.2f s together' \
    "$2" $((self_peak / 1024)) "$self_cpu" "$kids" $((kid_peak / 1024)) "$kid_cpu"
}

# start_upstream NAME SITES BOOKINGS LATENCY_MS [MORE OPTIONS] → UPSTREAM_PID, UPSTREAM_OUT
start_upstream() {
  local out="$WORK/upstream-$1.out"
  "$BIN/tenantsync-demo-upstream" --port 0 --sites "$2" --accommodations 50 --bookings "$3" --latency-ms "$4" "${@:5}" >"$out" 2>/dev/null &
  UPSTREAM_PID=$!
  pids+=("$UPSTREAM_PID")
  for _ in $(seq 1 1200); do grep -q "listening on" "$out" 2>/dev/null && break; sleep 0.05; done
  UPSTREAM_OUT="$out"
}
# site_field N FIELD → a field (motopress, consumer_key, estimates, …) of the Nth site of the last upstream.
site_field() { grep '^site ' "$UPSTREAM_OUT" | sed -n "${1}p" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# write_config DB_URL FILE [LIMIT]: one tenant per site of the last started upstream (the first LIMIT).
# CONNECTOR (motopress or estimates), CONCURRENCY, DATA_DIR and EXTRA_CONFIG (JSON members) shape it.
write_config() {
  {
    printf '{"database_url": "%s", "port": 0, "concurrency": %s, "api_keys": [{"key_env": "TENANTSYNC_API_KEY"}], "data_directory": "%s", %s "tenants": [' \
      "$1" "${CONCURRENCY:-4}" "${DATA_DIR:-$WORK/data}" "${EXTRA_CONFIG:+$EXTRA_CONFIG,}"
    local first=1
    while read -r _ name motopress key secret estimates email password; do
      local base="${motopress#motopress=}"; base="${base%/wp-json/mphb/v1}"
      [ $first -eq 1 ] || printf ','
      first=0
      if [ "${CONNECTOR:-motopress}" = "estimates" ]; then
        printf '{"id": "%s", "connector": "estimates", "settings": {"base_url": "%s", "email": "%s", "password": "%s"}}' \
          "$name" "${estimates#estimates=}" "${email#email=}" "${password#password=}"
      else
        printf '{"id": "%s", "connector": "motopress", "settings": {"base_url": "%s", "consumer_key": "%s", "consumer_secret": "%s"}}' \
          "$name" "$base" "${key#consumer_key=}" "${secret#consumer_secret=}"
      fi
    done < <(grep '^site ' "$UPSTREAM_OUT" | head -n "${3:-1000000}")
    printf ']}\n'
  } >"$2"
}

# start_supervisor CONFIG [WRAPPER…] → SUPERVISOR_PID, API. A WRAPPER command (a profiler) runs the
# supervisor as its child: SUPERVISOR_PID is then the wrapper's.
start_supervisor() {
  rm -f "$WORK/port"
  SUPERVISOR_START=$(now)
  "${@:2}" "$BIN/tenantsync" serve --config "$1" --port-file "$WORK/port" 2>>"$WORK/supervisor.log" &
  SUPERVISOR_PID=$!
  pids+=("$SUPERVISOR_PID")
  for _ in $(seq 1 1200); do [ -s "$WORK/port" ] && break; sleep 0.02; done
  SUPERVISOR_UP=$(now)
  API="http://127.0.0.1:$(cat "$WORK/port")"
}
stop_supervisor() { kill -TERM "$SUPERVISOR_PID"; wait "$SUPERVISOR_PID" 2>/dev/null || true; }
# stop_within SECONDS PID: SIGTERM, then SIGKILL if it has not exited by then.
stop_within() {
  kill -TERM "$2" 2>/dev/null || true
  for _ in $(seq 1 $(( $1 * 20 ))); do kill -0 "$2" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$2" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
}
api() { curl -sf -H "X-API-KEY: $TENANTSYNC_API_KEY" "$@"; }
# Polls use curl and bash pattern matching only: jq costs ~15 ms of CPU per call, which a poll
# every few milliseconds would take from the workers being measured.
ready_count() { api "$API/api/tenants" | grep -o '"state":"ready"' | wc -l; }
# tenant_ready_pid TENANT → the pid of the tenant's worker when it is ready, else nothing.
tenant_ready_pid() {
  local body
  body=$(api "$API/api/tenants/$1") || return 0
  [[ $body == *'"state":"ready"'* && $body =~ \"pid\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
  return 0
}
# restart_seconds → SIGKILLs the first tenant's worker; prints the seconds until a new worker is `ready`.
restart_seconds() {
  local worker_pid tenant start ready_pid
  worker_pid=$(api "$API/api/tenants" | jq -r '.tenants[0].pid')
  tenant=$(api "$API/api/tenants" | jq -r '.tenants[0].id')
  start=$(now); kill -KILL "$worker_pid"
  for _ in $(seq 1 5000); do
    ready_pid=$(tenant_ready_pid "$tenant")
    [ -n "$ready_pid" ] && [ "$ready_pid" != "$worker_pid" ] && break
    sleep 0.002
  done
  echo "$(now) - $start" | bc -l
}
# wait_ready N [POLL_SECONDS] [TIMEOUT_SECONDS]: until N workers are ready (default: every 10 ms, 120 s at most).
wait_ready() {
  local deadline=$(( $(date +%s) + ${3:-120} ))
  until [ "$(ready_count)" = "$1" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "workers not ready: $(ready_count) of $1 after ${3:-120} s"
    sleep "${2:-0.01}"
  done
}
# sync_all [full=true] → prints the run's duration in seconds (from the database's own timestamps).
# One request with background=false, answered when the run ends: polling with curl and jq every
# 50 ms took a third of a core from the sync being measured (perf, PROFILE=…). The answer, with
# each tenant's result, is kept in $WORK/last-sync.json.
sync_all() {
  local run
  api -X POST "$API/api/sync?background=false${1:+&$1}" >"$WORK/last-sync.json"
  run=$(jq -r .run_id "$WORK/last-sync.json")
  echo "$run" >"$WORK/last-run"
  psql "$DB" -qtAc "SELECT extract(epoch FROM finished_at - started_at) FROM sync_runs WHERE id = '$run'"
}
# last_sync_outcome → e.g. "run succeeded; 200 of 200 tenants succeeded", from the last sync_all's answer.
last_sync_outcome() {
  jq -r '"run \(.status); \([.run.tenants[] | select(.status == "succeeded")] | length) of \(.run.tenants | length) tenants succeeded"
    + ([.run.tenants[] | select(.status != "succeeded") | .status] | group_by(.) | map(" (\(length) \(.[0]))") | add // "")' "$WORK/last-sync.json"
}
# sync_many NAME TENANTS BOOKINGS: a sync-all of TENANTS tenants of BOOKINGS bookings each, REPEAT
# times, each into an empty database → MANY_MEDIAN (seconds), MANY_ROWS (reservation rows),
# MANY_OUTCOME (last_sync_outcome), MANY_SESSIONS (PostgreSQL sessions when the run ended: workers
# keep theirs for 10 s after a run), MANY_USAGE (usage of the supervisor), MANY_PG_CPU (PostgreSQL's
# CPU seconds during the run), MANY_STATEMENTS (statements PostgreSQL ran for it, with PROFILE set;
# they are in $PROFILE/NAME-statements.txt), all from the last run.
sync_many() {
  local sites times=()
  sites=$(seq -f "$1-hotel-%g" 1 "$2" | paste -sd, -)
  start_upstream "$1" "$sites" "$3" 0
  for _ in $(seq 1 "$REPEAT"); do
    fresh_database
    write_config "$DB" "$WORK/$1.json"
    start_supervisor "$WORK/$1.json"; wait_ready "$2" 0.1 600
    statements_reset
    pg_before=$(postgres_cpu)
    profile_start "$1"
    times+=("$(sync_all)")
    profile_stop
    MANY_PG_CPU=$(echo "$(postgres_cpu) - $pg_before" | bc -l | xargs printf '%.2f')
    statements_save "$1"
    MANY_STATEMENTS=$(statements_count)
    MANY_SESSIONS=$(pg_sessions)
    MANY_OUTCOME=$(last_sync_outcome)
    MANY_ROWS=$(psql "$DB" -qtAc "SELECT count(*) FROM reservations")
    MANY_USAGE=$(usage "$SUPERVISOR_PID" supervisor)
    stop_supervisor
  done
  kill -TERM "$UPSTREAM_PID"
  MANY_MEDIAN=$(printf '%s\n' "${times[@]}" | median)
}
# pg_sessions → client sessions open on the private PostgreSQL, not counting the one asking.
pg_sessions() { psql "$DATABASE_ADMIN_URL" -qtAc "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"; }
# cpu_ticks PID → the process's user and system CPU, in clock ticks (all its threads).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# children_ticks PID → the CPU ticks of the process's live children together.
children_ticks() { local kid t=0; for kid in $(pgrep -P "$1" || true); do t=$(( t + $(cpu_ticks "$kid") )); done; echo "$t"; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fresh_database() { psql "$DATABASE_ADMIN_URL" -qc "DROP DATABASE IF EXISTS bench WITH (FORCE)" >/dev/null; psql "$DATABASE_ADMIN_URL" -qc "CREATE DATABASE bench" >/dev/null; DB="postgresql://postgres@127.0.0.1:$PG_PORT/bench"; }

# The peer: supervisord running N programs w1…wN, each the same worker binary. A worker waits for
# the supervisor's `hello` on stdin, which supervisord does not send, so the programs run the worker
# test kit (the shipped worker's code plus its test hooks), told to give itself one
# (TENANTSYNC_WORKER_HELLO, see Tests/WorkerTestKit/WorkerFault.swift); its `ready` line lands in
# the program's stdout log: the same readiness tenantsync waits for.
# start_supervisord N [ENV=VALUE…] → SVD_PID, SVD_START; logs in $WORK/sv/wI.out.
start_supervisord() {
  local n=$1 i
  shift
  rm -rf "$WORK/sv"; mkdir -p "$WORK/sv"
  {
    # minfds: supervisord raises its open-files limit to this, or refuses to start; each program holds
    # its pipes and its log file open.
    printf '[supervisord]\nlogfile=%s\npidfile=%s\nchildlogdir=%s\nnodaemon=true\nloglevel=warn\nminfds=%d\n' "$WORK/sv/supervisord.log" "$WORK/sv/supervisord.pid" "$WORK/sv" $(( 1024 > 5 * n + 100 ? 1024 : 5 * n + 100 ))
    for i in $(seq 1 "$n"); do
      printf '[program:w%d]\ncommand=%s\nstartsecs=0\nautorestart=true\nredirect_stderr=true\nstdout_logfile=%s\nstdout_logfile_maxbytes=0\nstdout_logfile_backups=0\n' \
        "$i" "$TESTKIT" "$WORK/sv/w$i.out"
    done
  } >"$WORK/sv/supervisord.conf"
  SVD_START=$(now)
  env TENANTSYNC_WORKER_HELLO="$SVD_HELLO" "$@" supervisord -c "$WORK/sv/supervisord.conf" >/dev/null 2>&1 &
  SVD_PID=$!
  pids+=("$SVD_PID")
}
stop_supervisord() { kill -TERM "$SVD_PID"; wait "$SVD_PID" 2>/dev/null || true; }
svd_ready_count() { grep -l '"type":"ready"' "$WORK"/sv/w*.out 2>/dev/null | wc -l; }
# svd_hello DB_URL: a hello for the first site of the last upstream (every program serves the same tenant).
svd_hello() {
  SVD_HELLO=$(jq -cn --argjson version "$PROTOCOL_VERSION" --arg db "$1" --arg base "$(site_field 1 motopress | sed 's#/wp-json/mphb/v1$##')" \
    --arg key "$(site_field 1 consumer_key)" --arg secret "$(site_field 1 consumer_secret)" \
    '{type: "hello", protocol_version: $version, tenant_id: "bench", tenant: {id: "bench", connector: "motopress", database_url: $db,
      settings: {base_url: $base, consumer_key: $key, consumer_secret: $secret}, secret_settings: ["consumer_key", "consumer_secret"], heartbeat_interval: 2}}')
}

# profile_start NAME / profile_stop: with PROFILE set, a system-wide `perf record` around one step.
profile_start() {
  PERF_PID=""
  [ -n "${PROFILE:-}" ] || return 0
  command -v perf >/dev/null || { log "PROFILE needs perf (Debian: linux-perf)"; return 0; }
  mkdir -p "$PROFILE"
  perf record -a -g -q -o "$PROFILE/$1.perf" >/dev/null 2>&1 &
  PERF_PID=$!
  sleep 0.3 # perf needs a moment to open its events; a profile, not a measurement.
}
# statements_reset / statements_save NAME: with PROFILE set, PostgreSQL's time per statement between
# the two (pg_stat_statements: executing, and planning when pg_stat_statements.track_planning is on), the costliest first, in $PROFILE/NAME-statements.txt. Each tenant's
# worker logs in as a role of its own, and pg_stat_statements counts per role: the same text is summed.
statements_reset() {
  [ -n "${PROFILE:-}" ] || return 0
  psql "$DB" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  psql "$DB" -qtAc "SELECT pg_stat_statements_reset()" >/dev/null
}
statements_save() {
  [ -n "${PROFILE:-}" ] || return 0
  psql "$DB" -c "SELECT round(sum(total_exec_time)::numeric, 1) AS ms, round(sum(total_plan_time)::numeric, 1) AS plan_ms, sum(plans) AS plans, sum(calls) AS calls, sum(rows) AS rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query
    FROM pg_stat_statements GROUP BY query ORDER BY 1 DESC LIMIT 40" >"$PROFILE/$1-statements.txt"
}
# statements_count → the statements pg_stat_statements counted since statements_reset (nested ones
# too: foreign-key checks, the row-level security function), or "n/a" without PROFILE.
statements_count() {
  [ -n "${PROFILE:-}" ] || { echo n/a; return 0; }
  psql "$DB" -qtAc "SELECT sum(calls) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
}
profile_stop() { [ -n "${PERF_PID:-}" ] || return 0; kill -INT "$PERF_PID"; wait "$PERF_PID" 2>/dev/null || true; PERF_PID=""; }

results=()
row() { results+=("| $1 | $2 | $3 | $4 |"); log "[$(( $(date +%s) - BUILT )) s] $1: $2 (target $3) $4"; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
# wanted P1 [P9 …]: whether ONLY (unset: every scenario) names any of them.
wanted() { local s; [ -z "${ONLY:-}" ] && return 0; for s in "$@"; do [[ ",$ONLY," == *",$s,"* ]] && return 0; done; return 1; }

# Each worker (fault log-flood) writes numbered `log` lines for FLOOD_SECONDS, then `log-flood done N lines`.
# The rate is lines stored ÷ (last worker's done line stored − first worker's first line stored).
# A side that has not stored every done line FLOOD_SECONDS + FLOOD_WAIT s after it started is cut off there: its rate
# counts what it stored by then, and the lines written are not known (they are in the done lines).
flood_files() { if [ "$1" = tenantsync ]; then ls "$WORK/flood-data/logs/"*.log* 2>/dev/null; else ls "$WORK"/sv/w*.out 2>/dev/null; fi; }
measure_flood() {
  local side=$1 f done_seen=0 t0="" t1="" written stored deadline
  deadline=$(echo "$(now) + $FLOOD_SECONDS + $FLOOD_WAIT" | bc -l)
  # The poll competes for the cores it measures (under `perf`, checking all 8 files every 20 ms took
  # about a third of the machine), so it does as little as it can: until the first line, the files'
  # heads every 20 ms; then, every 100 ms, only the tails of files whose worker has not said it is done.
  # Only heads and tails: reading whole growing files would take the measured cores.
  # (grep -q stops reading early: the `|| true` keeps pipefail from calling that a failure)
  while [ -z "$t0" ] && [ "$(echo "$(now) < $deadline" | bc -l)" = 1 ]; do
    for f in $(flood_files "$side"); do
      if { head -c 65536 "$f" || true; } | grep -q 'log-flood line'; then t0=$(now); break; fi
    done
    [ -n "$t0" ] || sleep 0.02
  done
  [ -n "$t0" ] || die "P8 ($side): no worker started flooding"
  local -A finished=()
  while [ "$(echo "$(now) < $deadline" | bc -l)" = 1 ]; do
    for f in $(flood_files "$side"); do
      [ -n "${finished[$f]:-}" ] && continue
      { tail -c 16384 "$f" || true; } | grep -q 'log-flood done' && finished[$f]=1
    done
    done_seen=${#finished[@]}
    [ "$done_seen" -ge 8 ] && { t1=$(now); break; }
    sleep 0.1
  done
  [ -n "$t0" ] || die "P8 ($side): no worker started flooding"
  [ -n "$t1" ] || t1=$(now)
  stored=$(cat $(flood_files "$side") | grep -c 'log-flood line' || true)
  if [ "$done_seen" -ge 8 ]; then
    written=$(cat $(flood_files "$side") | grep -o 'log-flood done [0-9]*' | awk '{s += $3} END {print s}')
    FLOOD_RESULT="$(echo "$stored / ($t1 - $t0)" | bc -l | xargs printf '%.0f') $stored $written"
  else
    FLOOD_RESULT="$(echo "$stored / ($t1 - $t0)" | bc -l | xargs printf '%.0f') $stored unknown $(echo "$t1 - $t0" | bc -l | xargs printf '%.0f')"
  fi
}
# flood_summary SIDE RATE STORED WRITTEN [SECONDS]
flood_summary() {
  if [ "$4" = unknown ]; then
    printf '%s %s lines/s stored, but only %s lines within %s s (each worker flooded for %s s; the rest not stored by then, so the count written is unknown)' "$1" "$2" "$3" "$5" "$FLOOD_SECONDS"
  else
    printf '%s %s lines/s stored, %s of %s lost' "$1" "$2" "$(( $4 - $3 ))" "$4"
  fi
}

# shell_loop_seconds COUNT: the floor for any supervisor: COUNT workers started by a plain shell loop,
# all at once, each giving itself its hello; stdin is a FIFO nobody writes, so they stay up until every
# one has said `ready`. Prints the seconds from the first start to the last `ready`.
shell_loop_seconds() {
  local count=$1 start deadline
  local -a bare_pids=()
  rm -rf "$WORK/bare"; mkdir -p "$WORK/bare"; mkfifo "$WORK/bare/stdin"; exec 3<>"$WORK/bare/stdin"
  start=$(now)
  for i in $(seq 1 "$count"); do
    TENANTSYNC_WORKER_HELLO="$SVD_HELLO" TENANTSYNC_WORKER_FAULT=none "$TESTKIT" <&3 >"$WORK/bare/w$i.out" 2>/dev/null &
    bare_pids+=($!)
  done
  deadline=$(( $(date +%s) + 900 ))
  until [ "$(grep -l '"type":"ready"' "$WORK"/bare/w*.out 2>/dev/null | wc -l)" -ge "$count" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "the shell loop's $count workers were not ready within 900 s"
    sleep 0.01
  done
  echo "$(now) - $start" | bc -l
  kill -KILL "${bare_pids[@]}" 2>/dev/null || true; wait "${bare_pids[@]}" 2>/dev/null || true; exec 3>&-
  rm -rf "$WORK/bare"
}

# heap_profile CONFIG TENANTS NAME: starts the supervisor under heaptrack, waits until TENANTS workers
# are ready and IDLE_SECONDS more, then SIGKILLs it, so that what heaptrack reports as never freed is
# what the idle supervisor held; writes that by allocation site, most first, to $PROFILE/NAME-heap.txt
# (the workers see their pipes close and exit). Installs heaptrack when it is missing.
heap_profile() {
  command -v heaptrack >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends heaptrack >/dev/null
  rm -f "$PROFILE/$3".heaptrack.*
  start_supervisor "$1" heaptrack -o "$PROFILE/$3.heaptrack"
  local wrapper=$SUPERVISOR_PID supervisor=""
  wait_ready "$2" 0.1 900
  supervisor=$(pgrep -f "tenantsync serve --config $1" | while read -r pid; do [ "$(readlink "/proc/$pid/exe")" = "$BIN/tenantsync" ] && echo "$pid"; done | head -n 1)
  echo "own memory (RssAnon) under heaptrack: $(anon_kib "$supervisor") KiB, $2 workers ready" >"$PROFILE/$3-heap.txt"
  sleep "$IDLE_SECONDS"
  kill -KILL "$supervisor"; wait "$wrapper" 2>/dev/null || true
  heaptrack_print -f "$(ls "$PROFILE/$3".heaptrack.* | head -n 1)" --print-peaks 0 --print-allocators 0 --print-temporary 0 \
    --print-leaks 1 --peak-limit 30 --sub-peak-limit 3 >>"$PROFILE/$3-heap.txt" 2>/dev/null
}
