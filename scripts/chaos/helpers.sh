# Helpers for scripts/chaos.sh: the API, the database, waits with deadlines, the callback receiver and
# the figures table. Sourced after scripts/lib.sh and scripts/e2e/stack.sh; they read the script's
# globals (E2E_URL, DB_URL, WORK, …) when called.

# Liveness settings short enough that a stuck or silent worker is replaced within seconds.
SUPERVISION='"supervision": {"heartbeat_timeout": 3, "stuck_timeout": 8, "ready_timeout": 10, "check_interval": 0.5, "initial_backoff": 0.2, "maximum_backoff": 2, "memory_limit_mb": 400}'

api() { curl -sS --max-time 30 -H "X-API-KEY: $TENANTSYNC_API_KEY" "$@"; }
sql() { psql "$DB_URL" -qtAX -c "$1"; }

# wait_for SECONDS COMMAND…: runs COMMAND every 0.1 s until it succeeds; fails at the deadline.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

ready_count() { api "$E2E_URL/api/tenants" | jq '[.tenants[] | select(.state == "ready")] | length'; }
is_ready_count() { [ "$(ready_count)" = "$1" ]; }
wait_ready() { wait_for "${2:-90}" is_ready_count "$1"; }
# The pid of the tenant's worker once it is ready; fails (printing nothing) while it is not, so that
# `wait_for 60 ready_pid TENANT` waits for it.
ready_pid() {
  local pid
  pid=$(api "$E2E_URL/api/tenants/$1" | jq -r 'select(.state == "ready") | .pid // empty') && [ -n "$pid" ] && echo "$pid"
}
supervisor_pid() { echo "${E2E_PIDS[0]}"; }
# Whether the process exists and is not a zombie waiting for its reaper.
process_alive() { [ -r "/proc/$1/stat" ] && ! awk '{exit ($3 == "Z" || $3 == "X") ? 0 : 1}' "/proc/$1/stat" 2>/dev/null; }
none_alive() { local pid; for pid in "$@"; do process_alive "$pid" && return 1; done; return 0; }

live_runs() { sql "SELECT count(*) FROM sync_runs WHERE finished_at IS NULL OR status IN ('queued', 'running')"; }
no_live_runs() { [ "$(live_runs 2>/dev/null)" = 0 ]; }
running_rows() { sql "SELECT count(*) FROM sync_run_tenants WHERE run_id = '$1' AND status = 'running'"; }
has_running_rows() { [ "$(running_rows "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
run_status() { api "$E2E_URL/api/runs/$1" | jq -r .status; }
run_ended() { local status; status=$(run_status "$1") && [ "$status" != queued ] && [ "$status" != running ]; }
no_pending_callbacks() { [ "$(sql "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'" 2>/dev/null)" = 0 ]; }

# Starts scripts/chaos/receiver.py on loopback; sets RECEIVER_URL and RECEIVER_LOG (one line per request).
start_callback_receiver() {
  RECEIVER_LOG="$WORK/callbacks.tsv"
  : >"$RECEIVER_LOG"
  python3 "$REPO_ROOT/scripts/chaos/receiver.py" "$RECEIVER_LOG" "$WORK/receiver.port" 2>"$WORK/receiver.log" &
  E2E_PIDS+=($!)
  wait_for 30 test -s "$WORK/receiver.port" || die "the callback receiver did not start"
  RECEIVER_URL="http://127.0.0.1:$(cat "$WORK/receiver.port")/callback"
}

# callback_check NAME SINCE: one row for the runs created after SINCE (a database timestamp): each must
# have ended and have been called back with exactly one webhook-id (a retry repeats its id).
callback_check() {
  local name="$1" since="$2" run tried=0 lost=0 ids
  wait_for 90 no_pending_callbacks || log "$name: callbacks still pending after 90 s"
  for run in $(sql "SELECT id FROM sync_runs WHERE created_at > '$since' ORDER BY id"); do
    tried=$((tried + 1))
    ids=$(awk -F'\t' -v run="$run" '$2 == run {print $1}' "$RECEIVER_LOG" | sort -u | wc -l)
    if [ "$ids" -ne 1 ]; then
      lost=$((lost + 1))
      log "$name: run $run was called back with $ids webhook-ids"
    fi
  done
  record "$name" "$tried" "$((tried - lost))" "$lost"
}

db_now() { sql "SELECT now()"; }

ROWS=()
TOTAL_LOST=0
# record SCENARIO TRIED SURVIVED LOST
record() {
  ROWS+=("$1|$2|$3|$4")
  TOTAL_LOST=$((TOTAL_LOST + $4))
  log "$1: tried $2, survived $3, lost $4"
}

print_table() {
  local row scenario tried survived lost
  printf '| %-68s | %6s | %8s | %4s |\n' scenario tried survived lost
  printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..70})" "--------" "----------" "------"
  for row in "${ROWS[@]}"; do
    IFS='|' read -r scenario tried survived lost <<<"$row"
    printf '| %-68s | %6s | %8s | %4s |\n' "$scenario" "$tried" "$survived" "$lost"
  done
}

# Every secret the supervisor holds, one a line: API keys, the webhook secrets, the sites' credentials,
# the database password it was given.
secrets() {
  printf '%s\n' "$TENANTSYNC_API_KEY" "$CHAOS_SCOPED_KEY" "$TENANTSYNC_WEBHOOK_SECRET" "$PGPASSWORD" \
    "whsec_dGVuYW50c3luYy1lMmUtdGVzdC1zZWNyZXQ="
  grep '^site ' "$WORK/demo-upstream.out" | tr ' ' '\n' | sed -n 's/^\(consumer_key\|consumer_secret\|password\)=//p'
}

# contains_secret FILE: whether the file holds any of the secrets.
contains_secret() {
  local secret
  while read -r secret; do
    [ -n "$secret" ] && grep -qF -- "$secret" "$1" && return 0
  done < <(secrets)
  return 1
}
