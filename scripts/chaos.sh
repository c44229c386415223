#!/usr/bin/env bash
# `make chaos`: an operator's bad day against real processes, with what survived counted.
#
# Starts its own PostgreSQL, the demo upstream, a callback receiver and `tenantsync serve`, then:
#  - SIGKILLs a worker at a random page of a full sync (rows lost or duplicated, against a clean sync);
#  - SIGKILLs the supervisor mid sync-all and starts it again (orphan workers, runs left running);
#  - restarts PostgreSQL (`pg_ctl restart -m fast`) mid sync-all, and stops it for a while (runs left running);
#  - counts callbacks by webhook-id: exactly one per run;
#  - sends bad HTTP (malformed JSON, wrong types, 20 MB bodies, odd tenant ids, a tenant-scoped key on
#    other tenants and admin routes, no key, slow connections): no 5xx with an empty body, no secret;
#  - runs a supervisor per garbage worker behaviour of the worker test kit (it must stay up and sync the others);
#  - SIGSTOPs a worker (it must be replaced);
#  - reads every worker's /proc/PID/environ for secrets, and reads other tenants' rows as each tenant's role.
# Prints a table (scenario / tried / survived / lost) and exits non-zero if anything was lost.
#
# CHAOS=short runs one of each, with a 5 s outage (scripts/test.sh runs it); CHAOS=full (the default) the
# whole day. CHAOS_SKIP_BUILD=1 uses the executables as built. Logs land in .test-output/chaos.
source "$(dirname "$0")/lib.sh"
source "$REPO_ROOT/scripts/e2e/stack.sh"

CHAOS="${CHAOS:-full}"
case "$CHAOS" in
  full) WORKER_KILLS=20 SUPERVISOR_KILLS=5 DATABASE_RESTARTS=5 OUTAGE_SECONDS=30 SLOW_CONNECTIONS=200 WORKER_STOPS=3
        FAULTS="crash-on-sync hang-on-sync exit-at-start exit-permanent no-heartbeat leak-memory bad-lines wrong-protocol log-flood" ;;
  short) WORKER_KILLS=1 SUPERVISOR_KILLS=1 DATABASE_RESTARTS=1 OUTAGE_SECONDS=5 SLOW_CONNECTIONS=5 WORKER_STOPS=1
         FAULTS="bad-lines" ;;
  *) die "CHAOS must be full or short, not $CHAOS" ;;
esac

if [ -z "${E2E_IN_NETNS:-}" ]; then
  ensure_packages
  ensure_debian_package jq
  if [ -z "${CHAOS_SKIP_BUILD:-}" ]; then
    log "building the executables and the worker test kit"
    for product in tenantsync tenantsync-worker tenantsync-demo-upstream tenantsync-worker-testkit; do
      (cd "$REPO_ROOT" && swift build --product "$product" >/dev/null)
    done
  fi
fi
isolate_network "$0" "$@"
ensure_built
TESTKIT="$BIN/tenantsync-worker-testkit"
[ -x "$TESTKIT" ] || die "$TESTKIT is missing: run without CHAOS_SKIP_BUILD"

source "$REPO_ROOT/scripts/chaos/helpers.sh"
source "$REPO_ROOT/scripts/chaos/scenarios.sh"
source "$REPO_ROOT/scripts/chaos/http.sh"
source "$REPO_ROOT/scripts/chaos/workers.sh"

prepare_e2e_folders chaos
# Interrupted, it still stops what it started (the EXIT trap).
trap 'exit 130' INT TERM
WORK="$E2E_WORK"
start_callback_receiver
# Secrets the supervisor holds; none may reach a worker's environment or an HTTP answer.
export CHAOS_SCOPED_KEY="chaos-scoped-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export TENANTSYNC_WEBHOOK_SECRET="whsec_$(head -c 24 /dev/urandom | base64)"
export PGPASSWORD="chaos-pgpassword-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# Ten bookings a page, one page at a time: a kill at a chosen page finds the sync still on it.
export E2E_TENANT_SETTINGS='"per_page": 10, "concurrency": 1'
export E2E_API_KEYS='[{"key_env": "TENANTSYNC_API_KEY"}, {"key_env": "CHAOS_SCOPED_KEY", "tenant": "chaos-2"}]'
export E2E_EXTRA_CONFIG="\"http_idle_timeout\": 2, $SUPERVISION"
start_demo_stack "$WORK" tenantsync_chaos "$RECEIVER_URL" \
  --sites chaos-1,chaos-2,chaos-3,chaos-4 --accommodations 10 --bookings 300 --latency-ms 30
MAIN_URL="$E2E_URL"
DB_URL="${DATABASE_ADMIN_URL%/*}/tenantsync_chaos"
wait_ready 4 || die "the workers did not start"
started=$SECONDS

worker_kills
supervisor_kills
database_outages
bad_http
garbage_workers
worker_stops
worker_environments
cross_tenant_reads
runs_left_running

log "chaos ($CHAOS) took $((SECONDS - started)) s"
print_table | tee "$E2E_OUTPUT/chaos-table.md"
[ "$TOTAL_LOST" -eq 0 ] || die "chaos lost $TOTAL_LOST (see $E2E_OUTPUT)"
