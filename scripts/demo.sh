#!/usr/bin/env bash
# One command from a fresh machine to three synced tenants: installs what is missing, builds,
# starts a private PostgreSQL and the demo upstream, runs the supervisor, syncs every tenant,
# prints the results, and keeps serving until Ctrl-C, then stops everything it started.
source "$(dirname "$0")/lib.sh"

ensure_packages
cd "$REPO_ROOT"
mkdir -p "$STATE_DIR"

log "building"
swift build --product tenantsync >/dev/null
swift build --product tenantsync-worker >/dev/null
swift build --product tenantsync-demo-upstream >/dev/null
BIN="$(swift build --show-bin-path)"

pids=()
cleanup() {
  trap - EXIT INT TERM
  log "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_private_postgres
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_private_postgres "$STATE_DIR/pg"
create_database tenantsync
DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/tenantsync"

sites="hotel-a,hotel-b,hotel-c"
"$BIN/tenantsync-demo-upstream" --port 0 --sites "$sites" --accommodations 12 --bookings 250 \
  >"$STATE_DIR/demo-upstream.out" 2>"$STATE_DIR/demo-upstream.log" &
pids+=($!)
for _ in $(seq 1 300); do
  grep -q "listening on" "$STATE_DIR/demo-upstream.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$STATE_DIR/demo-upstream.out" || die "demo upstream did not start (see $STATE_DIR/demo-upstream.log)"
log "$(head -n 1 "$STATE_DIR/demo-upstream.out")"

# The configuration file names the first hotel (the file keeps working for small set-ups); the others are
# onboarded through the API once the supervisor runs. Every hotel syncs every 15 minutes by itself.
API_KEY="${TENANTSYNC_API_KEY:-demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export TENANTSYNC_API_KEY="$API_KEY"
# Secret settings are stored encrypted under a master key; the demo keeps its own beside its state.
[ -s "$STATE_DIR/master.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$STATE_DIR/master.key")
export TENANTSYNC_MASTER_KEY_FILE="$STATE_DIR/master.key"
mapfile -t site_lines < <(grep '^site ' "$STATE_DIR/demo-upstream.out")
read -r _ first_name first_motopress first_key first_secret _ <<<"${site_lines[0]}"
first_base="${first_motopress#motopress=}"; first_base="${first_base%/wp-json/mphb/v1}"
{
  printf '{\n  "database_url": "%s",\n  "host": "127.0.0.1",\n  "port": 0,\n  "concurrency": 4,\n' "$DATABASE_URL"
  printf '  "api_keys": [{"key_env": "TENANTSYNC_API_KEY"}],\n'
  printf '  "data_directory": "%s",\n' "$STATE_DIR/data"
  printf '  "default_schedule": "every 15m",\n'
  printf '  "tenants": [\n'
  printf '    {"id": "%s", "connector": "motopress", "settings": {"base_url": "%s", "consumer_key": "%s", "consumer_secret": "%s"}}' \
    "$first_name" "$first_base" "${first_key#consumer_key=}" "${first_secret#consumer_secret=}"
  printf '\n  ]\n}\n'
} >"$STATE_DIR/tenantsync.json"

rm -f "$STATE_DIR/port"
"$BIN/tenantsync" serve --config "$STATE_DIR/tenantsync.json" --port-file "$STATE_DIR/port" 2>"$STATE_DIR/supervisor.log" &
supervisor=$!
pids=("$supervisor" "${pids[@]}")
for _ in $(seq 1 600); do
  [ -s "$STATE_DIR/port" ] && break
  kill -0 "$supervisor" 2>/dev/null || { tail -n 20 "$STATE_DIR/supervisor.log" >&2; die "supervisor exited"; }
  sleep 0.1
done
[ -s "$STATE_DIR/port" ] || die "supervisor did not start (see $STATE_DIR/supervisor.log)"
export TENANTSYNC_URL="http://127.0.0.1:$(cat "$STATE_DIR/port")"
log "supervisor API on $TENANTSYNC_URL (log: $STATE_DIR/supervisor.log)"

log "onboarding the other hotels through the API: tenantsync tenants add (PUT /api/tenants/{id})"
for line in "${site_lines[@]:1}"; do
  read -r _ name motopress key secret _ <<<"$line"
  base="${motopress#motopress=}"; base="${base%/wp-json/mphb/v1}"
  if "$BIN/tenantsync" tenants show "$name" >/dev/null 2>&1; then
    log "$name is already in the registry (from an earlier demo)"
    continue
  fi
  DEMO_CONSUMER_SECRET="${secret#consumer_secret=}" "$BIN/tenantsync" tenants add "$name" --connector motopress \
    --setting "base_url=$base" --setting "${key}" --setting-from-env consumer_secret=DEMO_CONSUMER_SECRET
done
for line in "${site_lines[@]}"; do
  read -r _ name _ <<<"$line"
  for _ in $(seq 1 100); do
    "$BIN/tenantsync" tenants check "$name" 2>/dev/null && break
    sleep 0.2
  done
done
"$BIN/tenantsync" status
log "sync-all: POST /api/sync"
"$BIN/tenantsync" sync --all --wait || log "the run did not fully succeed (see above)"

log "the tenant registry, each hotel with its next scheduled sync: tenantsync tenants ls"
"$BIN/tenantsync" tenants ls

log "what is in PostgreSQL ($DATABASE_URL):"
psql "$DATABASE_URL" -P pager=off -c "
  SELECT t.tenant_id,
         (SELECT count(*) FROM accommodation_types x WHERE x.tenant_id = t.tenant_id) AS accommodation_types,
         (SELECT count(*) FROM accommodations x WHERE x.tenant_id = t.tenant_id) AS accommodations,
         (SELECT count(*) FROM reservations x WHERE x.tenant_id = t.tenant_id) AS reservations
  FROM (SELECT DISTINCT tenant_id FROM accommodations) t ORDER BY 1"
psql "$DATABASE_URL" -P pager=off -c "SELECT count(*) AS reservations_without_accommodation FROM reservations WHERE accommodation_unit_id IS NULL"

log "serving until Ctrl-C. Try: TENANTSYNC_URL=$TENANTSYNC_URL TENANTSYNC_API_KEY=$API_KEY $BIN/tenantsync status"
wait "$supervisor"
