# The scenarios of scripts/chaos.sh, each recording its row of the table. Sourced after scripts/chaos/helpers.sh.

TENANTS=(chaos-1 chaos-2 chaos-3 chaos-4)

# The tenant's reservations as stored: distinct bookings, and rows beyond one per booking line.
booking_count() { sql "SELECT count(DISTINCT booking_id) FROM reservations WHERE tenant_id = '$1' AND deleted_at IS NULL"; }
duplicate_count() { sql "SELECT count(*) - count(DISTINCT (booking_id, line_number)) FROM reservations WHERE tenant_id = '$1'"; }
# The upstream's own count of the site's bookings (X-WP-Total).
upstream_total() {
  local line base key secret
  line=$(grep "^site $1 " "$WORK/demo-upstream.out")
  base=$(tr ' ' '\n' <<<"$line" | sed -n 's/^motopress=//p')
  key=$(tr ' ' '\n' <<<"$line" | sed -n 's/^consumer_key=//p')
  secret=$(tr ' ' '\n' <<<"$line" | sed -n 's/^consumer_secret=//p')
  curl -sS -o /dev/null -D - -u "$key:$secret" "$base/bookings?per_page=1" | tr -d '\r' | sed -n 's/^[Xx]-[Ww][Pp]-[Tt]otal: //p'
}
# at_page_or_ended TENANT PAGE RUN: the tenant syncs reservations at PAGE or later, or RUN has ended.
at_page_or_ended() {
  api "$E2E_URL/api/tenants/$1" | jq -e --argjson page "$2" '.progress.stream == "reservations" and .progress.page >= $page' >/dev/null \
    || run_ended "$3"
}

# SIGKILL of a worker at a random page of a full sync: the run must still succeed (the sync resumes),
# with every booking of the upstream stored once.
worker_kills() {
  local tenant expected=() upstream i run pid page status rows duplicates lost=0
  log "worker kill -9 at a random page, $WORKER_KILLS times"
  run=$(api -X POST "$E2E_URL/api/sync?background=false" | jq -r .run_id)
  for i in "${!TENANTS[@]}"; do
    expected[i]=$(booking_count "${TENANTS[i]}")
    upstream=$(upstream_total "${TENANTS[i]}")
    [ "${expected[i]}" = "$upstream" ] || log "${TENANTS[i]}: a clean sync stored ${expected[i]} bookings, the upstream lists $upstream"
  done
  # A kill counts once it hit a sync in progress (the tenant took a second attempt); a sync that ended
  # before its page came is tried again, up to three times as many syncs as kills.
  local hits=0 syncs=0 attempts
  while [ "$hits" -lt "$WORKER_KILLS" ] && [ "$syncs" -lt $((WORKER_KILLS * 3)) ]; do
    i=$(( syncs % ${#TENANTS[@]} ))
    syncs=$((syncs + 1))
    tenant=${TENANTS[i]}
    wait_for 60 ready_pid "$tenant" || log "$tenant was not ready within 60 s ($(api "$E2E_URL/api/tenants/$tenant" | jq -c '{state, state_cause, pid, restarts}'))"
    pid=$(ready_pid "$tenant" || true)
    page=$(( RANDOM % 25 + 1 ))
    run=$(api -X POST "$E2E_URL/api/tenants/$tenant/sync?full=true" | jq -r .run_id)
    if wait_for 60 at_page_or_ended "$tenant" "$page" "$run" && ! run_ended "$run"; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait_for 180 run_ended "$run" || true
    status=$(run_status "$run")
    attempts=$(sql "SELECT attempts FROM sync_run_tenants WHERE run_id = '$run'")
    [ "$attempts" -ge 2 ] || [ "$status" != succeeded ] || continue
    hits=$((hits + 1))
    rows=$(booking_count "$tenant")
    duplicates=$(duplicate_count "$tenant")
    if [ "$status" != succeeded ] || [ "$rows" != "${expected[i]}" ] || [ "$duplicates" != 0 ]; then
      lost=$((lost + 1))
      log "kill $hits ($tenant at page $page): run $status, $rows of ${expected[i]} bookings, $duplicates duplicates"
    fi
  done
  [ "$hits" -eq "$WORKER_KILLS" ] || log "only $hits of $syncs syncs were caught by their kill"
  record "worker kill -9 at a random page (rows lost or duplicated)" "$hits" "$((hits - lost))" "$lost"
}

# SIGKILL of the supervisor mid sync-all, then a new one: no worker may outlive it, and every run must end.
supervisor_kills() {
  local since i run pids pid orphans lost=0
  log "supervisor SIGKILL mid sync-all, $SUPERVISOR_KILLS times"
  since=$(db_now)
  for i in $(seq 1 "$SUPERVISOR_KILLS"); do
    run=$(api -X POST "$E2E_URL/api/sync?full=true" | jq -r .run_id)
    wait_for 60 has_running_rows "$run" 2 || true
    pids=$(api "$E2E_URL/api/tenants" | jq -r '.tenants[].pid // empty')
    kill -KILL "$(supervisor_pid)"
    wait "$(supervisor_pid)" 2>/dev/null || true
    # shellcheck disable=SC2086 # one pid a word
    wait_for 5 none_alive $pids || true
    orphans=0
    for pid in $pids; do if process_alive "$pid"; then orphans=$((orphans + 1)); fi; done
    start_supervisor "$WORK"
    MAIN_URL="$E2E_URL"
    wait_ready 4 || true
    if ! wait_for 180 no_live_runs || [ "$orphans" -ne 0 ]; then
      lost=$((lost + 1))
      log "supervisor kill $i: $orphans workers outlived it 5 s, $(live_runs) runs still live after 180 s"
    fi
  done
  record "supervisor SIGKILL mid sync-all (orphans, runs left running)" "$SUPERVISOR_KILLS" "$((SUPERVISOR_KILLS - lost))" "$lost"
  callback_check "callbacks after supervisor kills (one webhook-id per run)" "$since"
}

# PostgreSQL restarted mid sync-all, then stopped for OUTAGE_SECONDS: every run must end, with its callback.
database_outages() {
  local since i run lost=0
  log "PostgreSQL restart -m fast mid sync-all, $DATABASE_RESTARTS times"
  since=$(db_now)
  for i in $(seq 1 "$DATABASE_RESTARTS"); do
    run=$(api -X POST "$E2E_URL/api/sync?full=true" | jq -r .run_id)
    wait_for 60 has_running_rows "$run" 2 || true
    restart_private_postgres
    if ! wait_for 240 no_live_runs; then
      lost=$((lost + 1))
      log "restart $i: $(live_runs) runs still live after 240 s"
    fi
    wait_ready 4 || true
  done
  record "PostgreSQL restart -m fast mid sync-all (runs left running)" "$DATABASE_RESTARTS" "$((DATABASE_RESTARTS - lost))" "$lost"
  log "PostgreSQL stopped for $OUTAGE_SECONDS s mid sync-all"
  run=$(api -X POST "$E2E_URL/api/sync?full=true" | jq -r .run_id)
  wait_for 60 has_running_rows "$run" 2 || true
  stop_private_postgres
  sleep "$OUTAGE_SECONDS" # the outage itself
  resume_private_postgres
  lost=0
  if ! wait_for 300 no_live_runs; then
    lost=1
    log "outage: $(live_runs) runs still live after 300 s"
  fi
  wait_ready 4 || true
  record "PostgreSQL stopped ${OUTAGE_SECONDS} s mid sync-all (runs left running)" 1 $((1 - lost)) "$lost"
  log "run statuses after the outages: $(sql "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM sync_runs WHERE created_at > '$since' GROUP BY status) s")"
  callback_check "callbacks after database outages (one webhook-id per run)" "$since"
}
