# Helpers for the end-to-end checks (scripts/conformance.sh, scripts/browser-test.sh): a throwaway Python
# environment, Chromium, and a real supervisor syncing the demo upstream. Sourced after scripts/lib.sh.

E2E_PIDS=()

# Makes sure the debug build has the three executables; builds them when missing.
ensure_built() {
  BIN="$(cd "$REPO_ROOT" && swift build --show-bin-path)"
  if [ ! -x "$BIN/tenantsync" ] || [ ! -x "$BIN/tenantsync-worker" ] || [ ! -x "$BIN/tenantsync-demo-upstream" ]; then
    log "building the executables"
    (cd "$REPO_ROOT" && swift build --product tenantsync >/dev/null && swift build --product tenantsync-worker >/dev/null \
      && swift build --product tenantsync-demo-upstream >/dev/null)
  fi
  export BIN
}

# Installs a Debian package when it is missing.
ensure_debian_package() {
  local package
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Creates (once per test run) a throwaway virtual environment with the Python tools of the checks, and
# sets E2E_PYTHON. TENANTSYNC_E2E_VENV names one to reuse (scripts/test.sh shares one between the checks).
ensure_e2e_venv() {
  local venv="${TENANTSYNC_E2E_VENV:-}"
  if [ -z "$venv" ]; then
    venv="$(mktemp -d /tmp/tenantsync-e2e-venv.XXXXXX)"
    # Removed by stop_demo_stack, also from a re-run in a network namespace.
    export E2E_OWNED_VENV="$venv" TENANTSYNC_E2E_VENV="$venv"
  fi
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import schemathesis, openapi_spec_validator, websocket, yaml" 2>/dev/null; then
    local python
    python="$(command -v python3 || true)"
    [ -n "$python" ] || { ensure_debian_package python3; python="$(command -v python3)"; }
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
      ensure_debian_package python3-venv
      python=/usr/bin/python3
      "$python" -m venv "$venv" >/dev/null || die "cannot create a Python virtual environment"
    fi
    log "installing schemathesis, openapi-spec-validator and websocket-client into a throwaway virtual environment"
    "$venv/bin/pip" install -q --disable-pip-version-check \
      "schemathesis>=4,<5" "openapi-spec-validator>=0.7" "websocket-client>=1.6" pyyaml >"$venv/pip.log" 2>&1 \
      || { tail -n 20 "$venv/pip.log" >&2; die "pip install failed"; }
  fi
  E2E_PYTHON="$venv/bin/python"
  E2E_VENV="$venv"
  export E2E_PYTHON E2E_VENV
}

# Starts the demo upstream with the given arguments and waits until it listens; its site lines go to
# $1/demo-upstream.out.
start_demo_upstream() {
  local dir="$1"
  shift
  "$BIN/tenantsync-demo-upstream" --port 0 "$@" >"$dir/demo-upstream.out" 2>"$dir/demo-upstream.log" &
  E2E_PIDS+=($!)
  local _
  for _ in $(seq 1 300); do
    grep -q "listening on" "$dir/demo-upstream.out" 2>/dev/null && return 0
    sleep 0.1
  done
  die "demo upstream did not start (see $dir/demo-upstream.log)"
}

# Writes $1/tenantsync.json: one MotoPress tenant per demo site, the API key from $TENANTSYNC_API_KEY,
# callbacks to $2 (a URL, may be empty), signed with a fixed test secret. E2E_TENANT_SETTINGS adds
# connector settings to every tenant (`"per_page": 10`); E2E_DEFAULT_SCHEDULE sets `default_schedule` (JSON);
# E2E_API_KEYS replaces the `api_keys` array (JSON); E2E_EXTRA_CONFIG adds top-level members (`"worker_path": …`).
write_supervisor_config() {
  local dir="$1" callback="$2" database_url="$3"
  {
    printf '{\n  "database_url": "%s",\n  "host": "127.0.0.1",\n  "port": 0,\n  "concurrency": %s,\n' \
      "$database_url" "${E2E_CONCURRENCY:-4}"
    printf '  "heartbeat_interval": 1,\n  "shutdown_grace_period": 5,\n'
    local keys='[{"key_env": "TENANTSYNC_API_KEY"}]'
    printf '  "api_keys": %s,\n' "${E2E_API_KEYS:-$keys}"
    if [ -n "${E2E_EXTRA_CONFIG:-}" ]; then
      printf '  %s,\n' "$E2E_EXTRA_CONFIG"
    fi
    printf '  "data_directory": "%s",\n' "$dir/data"
    if [ -n "${E2E_DEFAULT_SCHEDULE:-}" ]; then
      printf '  "default_schedule": %s,\n' "$E2E_DEFAULT_SCHEDULE"
    fi
    if [ -n "$callback" ]; then
      printf '  "webhooks": {"urls": ["%s"], "secret": "whsec_dGVuYW50c3luYy1lMmUtdGVzdC1zZWNyZXQ=", "environment": "e2e", "retry_schedule": [0, 1]},\n' "$callback"
    fi
    printf '  "tenants": [\n'
    local first=1 _ name motopress key secret base
    while read -r _ name motopress key secret _; do
      base="${motopress#motopress=}"; base="${base%/wp-json/mphb/v1}"
      [ $first -eq 1 ] || printf ',\n'
      first=0
      printf '    {"id": "%s", "connector": "motopress", "settings": {"base_url": "%s", "consumer_key": "%s", "consumer_secret": "%s"%s}}' \
        "$name" "$base" "${key#consumer_key=}" "${secret#consumer_secret=}" "${E2E_TENANT_SETTINGS:+, $E2E_TENANT_SETTINGS}"
    done < <(grep '^site ' "$dir/demo-upstream.out")
    printf '\n  ]\n}\n'
  } >"$dir/tenantsync.json"
}

# Starts `tenantsync serve` on $1/tenantsync.json and waits until it listens; sets E2E_URL.
start_supervisor() {
  local dir="$1"
  rm -f "$dir/port"
  "$BIN/tenantsync" serve --config "$dir/tenantsync.json" --port-file "$dir/port" 2>"$dir/supervisor.log" &
  local supervisor=$!
  E2E_PIDS=("$supervisor" "${E2E_PIDS[@]}")
  local _
  for _ in $(seq 1 600); do
    [ -s "$dir/port" ] && break
    kill -0 "$supervisor" 2>/dev/null || { tail -n 20 "$dir/supervisor.log" >&2; die "supervisor exited"; }
    sleep 0.1
  done
  [ -s "$dir/port" ] || die "supervisor did not start (see $dir/supervisor.log)"
  E2E_URL="http://127.0.0.1:$(cat "$dir/port")"
  export E2E_URL
}

# Starts PostgreSQL (unless DATABASE_ADMIN_URL is set), a fresh database $2, the demo upstream (with the
# arguments after $3) and a supervisor syncing it, all under $1. $3 is the callback URL (may be empty).
start_demo_stack() {
  local dir="$1" database="$2" callback="$3"
  shift 3
  mkdir -p "$dir"
  if [ -z "${DATABASE_ADMIN_URL:-}" ]; then
    start_private_postgres "$dir/pg"
    E2E_OWNS_POSTGRES=1
  fi
  psql "$DATABASE_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$database\"" >/dev/null
  create_database "$database"
  local database_url="${DATABASE_ADMIN_URL%/*}/$database"
  export TENANTSYNC_API_KEY="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # Secret settings are stored encrypted under a master key: a fresh one per stack.
  export TENANTSYNC_MASTER_KEY="${TENANTSYNC_MASTER_KEY:-$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"
  start_demo_upstream "$dir" "$@"
  write_supervisor_config "$dir" "$callback" "$database_url"
  start_supervisor "$dir"
  log "supervisor on $E2E_URL, demo upstream $(head -n 1 "$dir/demo-upstream.out" | sed 's/.*listening on //')"
}

# Stops what start_demo_stack started: the supervisor first (SIGTERM, graceful), then the upstream.
stop_demo_stack() {
  local pid
  for pid in "${E2E_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  E2E_PIDS=()
  [ -z "${E2E_OWNS_POSTGRES:-}" ] || stop_private_postgres
  [ -z "${E2E_OWNED_VENV:-}" ] || rm -rf "$E2E_OWNED_VENV"
}

# Whether this shell may enter a network namespace of its own (root with unshare and ip).
can_isolate_network() {
  [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null && unshare --net true 2>/dev/null
}

# Re-runs the calling script ($@ = its path and arguments) in a new network namespace holding only a
# loopback interface, unless it already runs in one: whatever a check generates or a browser tries,
# nothing can leave this machine. Without root it runs as it is, and says so.
isolate_network() {
  [ -n "${E2E_IN_NETNS:-}" ] && return 0
  [ "$(id -u)" -ne 0 ] || ensure_debian_package util-linux iproute2
  if can_isolate_network; then
    # PostgreSQL from the parent namespace is out of reach in the new one: the script starts its own.
    exec unshare --net env -u DATABASE_ADMIN_URL E2E_IN_NETNS=1 bash -c 'ip link set lo up && exec bash "$@"' bash "$@"
  fi
  log "not root (or no unshare): running without a network namespace of its own"
}

# Makes a fresh output folder .test-output/$1 (TEST_OUTPUT_DIR moves it) and a scratch folder; at exit,
# stops the demo stack and keeps the scratch folder's logs in the output. Sets E2E_OUTPUT and E2E_WORK.
prepare_e2e_folders() {
  E2E_OUTPUT="${TEST_OUTPUT_DIR:-$REPO_ROOT/.test-output}/$1"
  rm -rf "$E2E_OUTPUT"
  mkdir -p "$E2E_OUTPUT"
  E2E_WORK="$(mktemp -d "/tmp/tenantsync-$1.XXXXXX")"
  chmod 755 "$E2E_WORK"
  trap 'stop_demo_stack; cp "$E2E_WORK"/*.log "$E2E_OUTPUT/" 2>/dev/null || true; rm -rf "$E2E_WORK"' EXIT
}
