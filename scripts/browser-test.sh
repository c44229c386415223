#!/usr/bin/env bash
# The dashboard in a real browser: starts a private PostgreSQL, the demo upstream (six hotels, answering
# slowly enough to watch a sync) and a real supervisor, then drives headless Chromium over the DevTools
# protocol (scripts/e2e/dashboard_test.py): log in with the API key, see every tenant, sync one and watch
# its progress end on succeeded, sync all, open the run and its callback delivery, filter a log tail,
# kill a worker and see it stopped, read 207 tenants with the failing one first, and fit a phone.
# Screenshots of each state go to .test-output/dashboard/ (TEST_OUTPUT_DIR moves it);
# DASHBOARD_SCREENSHOT=1 also copies the one taken mid sync-all to docs/dashboard.png.
# Installs Debian's chromium and a font when missing, and websocket-client from PyPI into a throwaway
# virtual environment; runs in a network namespace of its own when root, so the browser reaches nothing
# but this machine's loopback.
source "$(dirname "$0")/lib.sh"
source "$REPO_ROOT/scripts/e2e/stack.sh"

if [ -z "${E2E_IN_NETNS:-}" ]; then
  ensure_packages
  ensure_debian_package chromium fonts-dejavu-core
  ensure_built
  ensure_e2e_venv
fi
isolate_network "$0" "$@"
ensure_built
ensure_e2e_venv

prepare_e2e_folders dashboard
output="$E2E_OUTPUT"
work="$E2E_WORK"

sites="hotel-a,hotel-b,hotel-c,hotel-d,hotel-e,hotel-f"
callback_port="$(free_port)"
# Ten bookings a page, 100 ms a request: a tenant's sync takes a few seconds, long enough to watch.
# Every tenant on a schedule that fires on 1 January only: the page shows when, and nothing fires meanwhile.
E2E_DEFAULT_SCHEDULE='{"cron": "0 3 1 1 *", "time_zone": "UTC"}' \
E2E_TENANT_SETTINGS='"per_page": 10' E2E_CONCURRENCY=3 \
  start_demo_stack "$work" tenantsync_dashboard "http://127.0.0.1:$callback_port/callback" \
  --sites "$sites" --accommodations 8 --bookings 300 --latency-ms 100

log "driving headless Chromium"
started=$SECONDS
"$E2E_PYTHON" "$REPO_ROOT/scripts/e2e/dashboard_test.py" --url "$E2E_URL" --api-key "$TENANTSYNC_API_KEY" \
  --tenants "$sites" --config "$work/tenantsync.json" --callback-port "$callback_port" --output "$output"
log "browser test took $((SECONDS - started)) s (screenshots: $output)"
if [ -n "${DASHBOARD_SCREENSHOT:-}" ]; then
  cp "$output/05-sync-all.png" "$REPO_ROOT/docs/dashboard.png"
  log "docs/dashboard.png updated"
fi
