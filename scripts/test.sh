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
log "running tests"
swift test --skip-build "$@"
