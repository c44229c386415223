#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL: installs what is missing first.
source "$(dirname "$0")/lib.sh"

ensure_packages
cd "$REPO_ROOT"

scratch="$(mktemp -d /tmp/tenantsync-test-pg.XXXXXX)"
cleanup() { stop_private_postgres; rm -rf "$scratch"; }
trap cleanup EXIT
start_private_postgres "$scratch/data"
export TENANTSYNC_TEST_DATABASE_URL="$DATABASE_ADMIN_URL"

log "building (debug, with tests)"
swift build --build-tests
# Every integration test runs real supervisors, workers and PostgreSQL databases: hundreds of them at
# once on a small machine starve each other's timers (leases, liveness checks) for reasons no product
# would meet. Six at a time keeps both cores busy and took no longer than all at once on two cores.
width="${TENANTSYNC_TEST_PARALLELISM:-6}"
log "running tests, at most $width at a time"
swift test --skip-build --experimental-maximum-parallelization-width "$width" "$@"

# The end-to-end checks run against real supervisors when the whole suite is asked for (no arguments);
# the first two share one throwaway Python environment. TENANTSYNC_SKIP_E2E=1 leaves them out.
if [ $# -eq 0 ] && [ -z "${TENANTSYNC_SKIP_E2E:-}" ]; then
  export TENANTSYNC_E2E_VENV="$scratch/venv"
  started=$SECONDS
  log "OpenAPI conformance: scripts/conformance.sh"
  bash scripts/conformance.sh
  log "conformance took $((SECONDS - started)) s"
  started=$SECONDS
  log "the dashboard in a browser: scripts/browser-test.sh"
  bash scripts/browser-test.sh
  log "browser test took $((SECONDS - started)) s"
  started=$SECONDS
  log "an operator's bad day, one of each: CHAOS=short scripts/chaos.sh"
  CHAOS=short CHAOS_SKIP_BUILD=1 bash scripts/chaos.sh
  log "short chaos took $((SECONDS - started)) s"
fi
