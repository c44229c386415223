# Shared helpers for the development scripts: package installation and a private PostgreSQL.
# Sourced, not executed.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${TENANTSYNC_STATE_DIR:-$REPO_ROOT/.tenantsync}"

log() { printf '\033[1m[tenantsync]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs the Debian packages the build and the scripts need, if any are missing.
ensure_packages() {
  local wanted=(libpq-dev libcurl4-openssl-dev postgresql pkg-config curl procps)
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v swift >/dev/null || die "swift is not on PATH; install a Swift 6.1+ toolchain"
}

# Prints the directory holding initdb and pg_ctl of the newest installed PostgreSQL.
postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || die "PostgreSQL server binaries not found"
  echo "$dir"
}

# Prints a free TCP port on loopback.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# Runs a command as the postgres OS user when we are root (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Starts a private PostgreSQL cluster in $1 (created if needed) on a free loopback port: the postgres
# user is trusted, every other role logs in with its password (SCRAM), as tenants' worker roles do in production.
# Sets PG_DATA_DIR, PG_PORT and DATABASE_ADMIN_URL.
start_private_postgres() {
  local data_dir="$1"
  local bin
  bin=$(postgres_bin_dir)
  mkdir -p "$data_dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$data_dir"
    if ! runuser -u postgres -- test -w "$data_dir"; then
      # The checkout is not reachable by the postgres user (a private home directory): use a
      # private directory under /tmp instead and point to it from the checkout.
      local fallback
      fallback=$(mktemp -d /tmp/tenantsync-pg.XXXXXX)
      chown postgres:postgres "$fallback"
      rm -rf "$data_dir"
      ln -s "$fallback" "$data_dir"
      data_dir="$fallback"
    fi
  fi
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$data_dir" -A trust -U postgres -E UTF8 --no-locale >/dev/null
  fi
  printf '%s\n' "local all all trust" \
    "host all postgres 127.0.0.1/32 trust" "host all postgres ::1/128 trust" \
    "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256" \
    | as_postgres tee "$data_dir/pg_hba.conf" >/dev/null
  as_postgres "$bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1 && as_postgres "$bin/pg_ctl" -D "$data_dir" -m fast stop >/dev/null
  PG_PORT=$(free_port)
  pg_ctl_start "$data_dir" "$PG_PORT"
  PG_DATA_DIR="$data_dir"
  DATABASE_ADMIN_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  export PG_DATA_DIR PG_PORT DATABASE_ADMIN_URL
  log "PostgreSQL listening on 127.0.0.1:$PG_PORT (data in $data_dir)"
}

# Starts the cluster in $1 on loopback port $2 with the settings every private cluster gets; waits until it answers.
pg_ctl_start() {
  local data_dir="$1" port="$2"
  as_postgres "$(postgres_bin_dir)/pg_ctl" -D "$data_dir" -w -t 60 -l "$data_dir/server.log" \
    -o "-p $port -k $data_dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_EXTRA_OPTIONS:-}" \
    start >/dev/null || { cat "$data_dir/server.log" >&2; die "PostgreSQL did not start"; }
}

# Starts the private cluster again on its port, after stop_private_postgres.
resume_private_postgres() {
  pg_ctl_start "$PG_DATA_DIR" "$PG_PORT"
}

# Restarts the private cluster the way an operator would (`pg_ctl restart -m fast`): every session is cut.
restart_private_postgres() {
  as_postgres "$(postgres_bin_dir)/pg_ctl" -D "$PG_DATA_DIR" -w -t 60 -m fast restart >/dev/null \
    || { tail -n 20 "$PG_DATA_DIR/server.log" >&2; die "PostgreSQL did not restart"; }
}

# Stops the private cluster started by start_private_postgres.
stop_private_postgres() {
  [ -n "${PG_DATA_DIR:-}" ] || return 0
  as_postgres "$(postgres_bin_dir)/pg_ctl" -D "$PG_DATA_DIR" -m fast stop >/dev/null 2>&1 || true
}

# Creates database $1 on the private cluster if it does not exist yet.
create_database() {
  local name="$1"
  psql "$DATABASE_ADMIN_URL" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || psql "$DATABASE_ADMIN_URL" -qc "CREATE DATABASE \"$name\"" >/dev/null
}
