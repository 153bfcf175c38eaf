# Shared functions of scripts/run, scripts/test and bench/http.sh. Source it;
# it sets `set -euo pipefail` and ROOT (the repository root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${HALL_BUILD_DIR:-$ROOT/build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
export DEBIAN_FRONTEND=noninteractive

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Root runs commands itself; anyone else goes through sudo (only for apt).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@" || sudo "$@"; fi
}

_apt_updated=0
apt_install() {
  [ $# -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "apt-get not found: this script expects Debian 12; install by hand: $*"
  if [ "$_apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq
    _apt_updated=1
  fi
  say "installing: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# The Debian packages of scripts/deps (one per line, # comments) that are not installed.
missing_packages() {
  local pkg
  while read -r pkg; do
    pkg="${pkg%%#*}"
    pkg="${pkg//[[:space:]]/}"
    [ -n "$pkg" ] || continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done <"$ROOT/scripts/deps"
}

install_deps() {
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  if [ -n "${missing// /}" ]; then
    # shellcheck disable=SC2086
    apt_install $missing
  fi
  # Node.js may come from elsewhere than Debian (NodeSource, nvm): only install when absent.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
}

# npm ci in DIR when node_modules is missing or the lockfile changed since the last install.
npm_ci() {
  local dir="$1" stamp sum
  stamp="$dir/node_modules/.hall-lock.sha256"
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -d "$dir/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  say "npm ci in ${dir#"$ROOT"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  echo "$sum" >"$stamp"
}

# npm run build in web/ unless web/dist is newer than every source of the UI.
build_web() {
  npm_ci "$ROOT/web"
  local dist="$ROOT/web/dist/index.html"
  if [ -f "$dist" ]; then
    local newer
    newer="$(cd "$ROOT/web" && find src public index.html vite.config.* package.json package-lock.json \
      -newer "$dist" -print -quit 2>/dev/null || true)"
    if [ -z "$newer" ]; then
      say "web/dist is up to date"
      return 0
    fi
  fi
  say "building the web UI (npm run build)"
  (cd "$ROOT/web" && npm run build --silent </dev/null)
}

build_cpp() {
  local type="${CMAKE_BUILD_TYPE:-RelWithDebInfo}"
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    say "configuring ($type) in ${BUILD_DIR#"$ROOT"/}"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  fi
  say "building (cmake --build, ${HALL_JOBS:-$(nproc)} jobs)"
  cmake --build "$BUILD_DIR" -j "${HALL_JOBS:-$(nproc)}"
}

# A TCP port on 127.0.0.1 that nothing listens on now (for servers that cannot bind port 0).
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

# Waits until URL answers 200 (at most SECONDS_MAX seconds; polls every 0.1 s).
wait_http() {
  local url="$1" max="${2:-60}" i
  for i in $(seq 1 $((max * 10))); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Starts `hall serve ARGS…` in the background with --listen 127.0.0.1:0; sets
# HALL_PID and HALL_PORT (read from the line the binary prints) and logs to $1.
start_hall() {
  local log="$1"
  shift
  "$BUILD_DIR/hall" serve --listen 127.0.0.1:0 "$@" >"$log" 2>&1 </dev/null &
  HALL_PID=$!
  HALL_PORT=""
  local i
  for i in $(seq 1 600); do
    HALL_PORT="$(sed -n 's|^Hall is running at http://[0-9.]*:\([0-9]*\)/.*|\1|p' "$log" | head -1)"
    [ -n "$HALL_PORT" ] && break
    kill -0 "$HALL_PID" 2>/dev/null || { cat "$log" >&2; die "hall serve exited"; }
    sleep 0.1
  done
  [ -n "$HALL_PORT" ] || { cat "$log" >&2; die "hall serve did not start"; }
  wait_http "http://127.0.0.1:$HALL_PORT/healthz" 30 || die "hall did not answer /healthz"
}

stop_pid() {
  local pid="${1:-}"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# A throwaway PostgreSQL 15 (Debian's package) on a free localhost port; data
# in a temp dir. Sets PG_PORT, PG_DIR, PG_URL. Runs as the postgres user when
# we are root (PostgreSQL refuses to run as root). Stop with stop_postgres.
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
start_postgres() {
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 not found in $PG_BIN (package postgresql)"
  PG_DIR="$(mktemp -d /tmp/hall-pg.XXXXXX)"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  PG_RUN=("${run[@]}")
  PG_PORT="$(free_port)"
  say "starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
  "${run[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}
