# Worker scenarios of scripts/chaos.sh: garbage behaviours, SIGSTOP, environments, database identity.
# Sourced after scripts/chaos/helpers.sh.

# One supervisor per behaviour of the worker test kit (see Tests/WorkerTestKit/WorkerFault.swift),
# misbehaving for chaos-1's first worker only: the supervisor must stay up, answer, and end a sync-all
# in which the other tenants succeed.
garbage_workers() {
  local fault dir database tried=0 lost=0 run status others pid
  for fault in $FAULTS; do
    log "garbage worker: $fault"
    tried=$((tried + 1))
    dir="$WORK/fault-$fault"
    database="tenantsync_chaos_${fault//-/_}"
    mkdir -p "$dir"
    cp "$WORK/demo-upstream.out" "$dir/"
    create_database "$database"
    E2E_EXTRA_CONFIG="\"worker_path\": \"$TESTKIT\", \"http_idle_timeout\": 2, $SUPERVISION" \
      write_supervisor_config "$dir" "" "${DATABASE_ADMIN_URL%/*}/$database"
    TENANTSYNC_WORKER_FAULT="$fault" TENANTSYNC_WORKER_FAULT_TENANT=chaos-1 TENANTSYNC_WORKER_FAULT_ONCE="$dir/fault-marker" \
      TENANTSYNC_WORKER_BAD_LINES=500 TENANTSYNC_WORKER_FLOOD_SECONDS=3 start_supervisor "$dir"
    pid=$(supervisor_pid)
    status=""
    if wait_for 60 others_ready; then
      run=$(api -X POST "$E2E_URL/api/sync" | jq -r .run_id)
      wait_for 180 run_ended "$run" || true
      others=$(api "$E2E_URL/api/runs/$run" | jq '[.tenants[] | select(.tenant_id != "chaos-1" and .status == "succeeded")] | length')
      status=$(run_status "$run")
    fi
    if ! kill -0 "$pid" 2>/dev/null || ! curl -sf --max-time 5 "$E2E_URL/health" >/dev/null || [ "${others:-0}" != 3 ]; then
      lost=$((lost + 1))
      log "garbage worker $fault: supervisor $(kill -0 "$pid" 2>/dev/null && echo up || echo down), run ${status:-never started}, ${others:-0} of 3 other tenants succeeded"
    fi
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    E2E_PIDS=("${E2E_PIDS[@]:1}")
    psql "$DATABASE_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null || true
  done
  E2E_URL="$MAIN_URL"
  record "garbage worker behaviours (supervisor down, others not synced)" "$tried" "$((tried - lost))" "$lost"
}
others_ready() {
  local tenants
  tenants=$(api "$E2E_URL/api/tenants") || return 1
  [ "$(jq '[.tenants[] | select(.id != "chaos-1" and .state == "ready")] | length' <<<"$tenants")" = 3 ]
}

# SIGSTOP of a ready worker: its heartbeats stop, and the supervisor must replace it.
worker_stops() {
  local i tenant pid lost=0
  log "SIGSTOP of a worker, $WORKER_STOPS times"
  for i in $(seq 1 "$WORKER_STOPS"); do
    tenant=chaos-$(( (i - 1) % 4 + 1 ))
    if ! wait_for 60 ready_pid "$tenant"; then
      lost=$((lost + 1))
      log "SIGSTOP $i: $tenant was not ready within 60 s ($(api "$E2E_URL/api/tenants/$tenant" | jq -c '{state, state_cause, pid, restarts}'))"
      continue
    fi
    pid=$(ready_pid "$tenant")
    kill -STOP "$pid"
    if ! wait_for 60 replaced "$tenant" "$pid" || process_alive "$pid"; then
      lost=$((lost + 1))
      log "SIGSTOP $i: $tenant's stopped worker $pid was not replaced within 60 s"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  record "SIGSTOP of a worker (not replaced)" "$WORKER_STOPS" "$((WORKER_STOPS - lost))" "$lost"
}
replaced() { local now; now=$(ready_pid "$1"); [ -n "$now" ] && [ "$now" != "$2" ]; }

# Every ready worker's environment, as the kernel has it: no secret of the supervisor's, by value or by name.
worker_environments() {
  local pid tried=0 lost=0 environ="$WORK/environ"
  wait_ready 4 || true
  for pid in $(api "$E2E_URL/api/tenants" | jq -r '.tenants[].pid // empty'); do
    tried=$((tried + 1))
    tr '\0' '\n' <"/proc/$pid/environ" >"$environ" 2>/dev/null || continue
    if contains_secret "$environ" || grep -qE '^(TENANTSYNC_API_KEY|TENANTSYNC_WEBHOOK_SECRET|PGPASSWORD|CHAOS_SCOPED_KEY|DATABASE_URL)=' "$environ"; then
      lost=$((lost + 1))
      log "worker $pid: a secret in its environment: $(cut -d= -f1 "$environ" | tr '\n' ' ')"
    fi
  done
  record "secrets in a worker's /proc/PID/environ" "$tried" "$((tried - lost))" "$lost"
}

# As each tenant's own login role (SET SESSION AUTHORIZATION sets the session user, as a login would),
# naming another tenant in the session: no other tenant's row may be seen or changed.
cross_tenant_reads() {
  local tenant role other seen changed own tried=0 lost=0
  while IFS='|' read -r tenant role; do
    [ -n "$tenant" ] || continue
    other=$([ "$tenant" = chaos-1 ] && echo chaos-2 || echo chaos-1)
    tried=$((tried + 1))
    as_role() {
      psql "$DB_URL" -qtAX -c "SET SESSION AUTHORIZATION \"$role\"" -c "SELECT set_config('tenantsync.tenant_id', '$other', false)" -c "$1" | tail -n 1
    }
    seen=$(as_role "SELECT (SELECT count(*) FROM reservations WHERE tenant_id <> '$tenant') + (SELECT count(*) FROM accommodations WHERE tenant_id <> '$tenant')
      + (SELECT count(*) FROM accommodation_types WHERE tenant_id <> '$tenant') + (SELECT count(*) FROM sync_checkpoints WHERE tenant_id <> '$tenant')" || echo error)
    changed=$(as_role "WITH changed AS (UPDATE reservations SET status = status WHERE tenant_id <> '$tenant' RETURNING 1) SELECT count(*) FROM changed" || echo error)
    own=$(as_role "SELECT count(*) FROM reservations WHERE tenant_id = '$tenant'" || echo error)
    if [ "$seen" != 0 ] || [ "$changed" != 0 ] || [ "$own" = 0 ] || [ "$own" = error ]; then
      lost=$((lost + 1))
      log "as $tenant's role: saw $seen rows of other tenants, changed $changed, saw $own of its own"
    fi
  done < <(sql "SELECT tenant_id || '|' || role_name FROM tenant_roles WHERE tenant_id LIKE 'chaos-%' ORDER BY tenant_id")
  # Every tenant has its role, and only the tenants there are: a removed tenant's role is gone.
  if [ "$tried" -ne ${#TENANTS[@]} ]; then
    lost=$((lost + 1))
    log "tenant roles: $tried roles for ${#TENANTS[@]} tenants"
  fi
  record "cross-tenant reads or writes as a worker's own role" "$tried" "$((tried - lost))" "$lost"
}

# At the end of the day, nothing is left queued or running.
runs_left_running() {
  local total live
  wait_for 120 no_live_runs || true
  total=$(sql "SELECT count(*) FROM sync_runs")
  live=$(live_runs)
  record "runs left queued or running at the end" "$total" "$((total - live))" "$live"
  callback_check "callbacks of every run of the day (one webhook-id per run)" "-infinity"
}
