#!/usr/bin/env bash
# HTTP throughput of Hall beside its ceiling, nginx serving a static file of
# the same size as Hall's small JSON read, measured in the same run with wrk.
#
#   bench/http.sh                 # defaults: wrk -t2 -c64 -d10s, best of 3 rounds
#   WRK_ARGS="-t2 -c64 -d30s" ROUNDS=5 bench/http.sh
#
# Prints one "name value" line per figure: healthz_rps, json_read_rps,
# nginx_rps, ratio (json_read_rps / nginx_rps; the target is >= 0.7).
# Installs wrk and nginx from Debian when missing (both are in scripts/deps).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

WRK_ARGS="${WRK_ARGS:--t2 -c64 -d10s}"
ROUNDS="${ROUNDS:-3}"
command -v wrk >/dev/null || apt_install wrk
[ -x /usr/sbin/nginx ] || apt_install nginx-light
[ -x "$BUILD_DIR/hall" ] || build_cpp

WORK="$(mktemp -d /tmp/hall-bench.XXXXXX)"
HALL_PID=""
NGINX_PID=""
cleanup() {
  stop_pid "$HALL_PID"
  if [ -f "$WORK/nginx.pid" ]; then kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  [ -n "$NGINX_PID" ] && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Hall: fresh SQLite, demo data, no access log ---------------------------
cat >"$WORK/hall.toml" <<TOML
[server]
access_log = false
TOML
start_hall "$WORK/hall.log" --config "$WORK/hall.toml" --db "sqlite:$WORK/hall.db" --demo --web-root "$WORK"
HALL="http://127.0.0.1:$HALL_PORT"
TOKEN="$(curl -fsS -H 'Content-Type: application/json' -d '{"login":"admin","password":"admin123"}' \
  "$HALL/api/v1/auth/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$TOKEN" ] || die "could not sign in as admin"
curl -fsS -H "Authorization: Bearer $TOKEN" "$HALL/api/v1/auth/me" -o "$WORK/me.json"
SIZE=$(stat -c %s "$WORK/me.json")

# --- nginx: a private instance serving a file of the same size --------------
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
chmod 755 "$WORK" "$WORK/www"  # nginx workers run as an unprivileged user
head -c "$SIZE" /dev/zero | tr '\0' 'x' >"$WORK/www/me.json"
NGINX_PORT="$(free_port)"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-tmp/scgi;
  keepalive_requests 1000000;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
NGINX
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" 2>"$WORK/nginx-start.log" &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NGINX_PORT/me.json" 20 || { cat "$WORK/nginx-start.log" "$WORK/nginx-error.log" >&2; die "nginx did not start"; }

cat >"$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

# wrk prints "Requests/sec:  12345.67"; non-2xx answers would make the figure meaningless.
run_wrk() {
  local out
  # shellcheck disable=SC2086
  out="$(wrk $WRK_ARGS "$@")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "$out" >&2; die "wrk saw non-2xx responses for $*"; fi
  awk '/Requests\/sec:/ {printf "%d", $2}' <<<"$out"
}

# Other work on the machine only ever slows a run down, so each figure is the
# best of ROUNDS runs, taken in turns (hall, hall, nginx) so that a busy
# moment hurts one round of each rather than one side.
say "wrk $WRK_ARGS, best of $ROUNDS rounds (hall on :$HALL_PORT, nginx on :$NGINX_PORT, $SIZE-byte body)"
run_wrk -d2s "$HALL/healthz" >/dev/null  # warm-up
run_wrk -d2s "http://127.0.0.1:$NGINX_PORT/me.json" >/dev/null
healthz=0 json=0 nginx=0
max() { [ "$1" -gt "$2" ] && echo "$1" || echo "$2"; }
for round in $(seq 1 "$ROUNDS"); do
  healthz=$(max "$healthz" "$(run_wrk "$HALL/healthz")")
  json=$(max "$json" "$(run_wrk -s "$WORK/auth.lua" "$HALL/api/v1/auth/me")")
  nginx=$(max "$nginx" "$(run_wrk "http://127.0.0.1:$NGINX_PORT/me.json")")
done
echo "healthz_rps $healthz"
echo "json_read_rps $json"
echo "nginx_rps $nginx"
awk -v a="$json" -v b="$nginx" 'BEGIN { printf "ratio %.2f\n", (b > 0 ? a / b : 0) }'
