#!/usr/bin/env bash
# Server memory while PDFs are generated (issue 10 §4): the resident set size of
# `hall serve --demo` before any PDF (its ceiling: what the idle server holds,
# measured in the same run) and after each round of PDFs fetched by 16
# concurrent clients, so that every handler thread renders some.
#
#   bench/pdf_memory.sh [rounds=8] [pdfs_per_round=64] [clients=16]
#   HALL_BIN=/tmp/hall-before bench/pdf_memory.sh     # another binary
#
# Prints "name value" lines: idle_rss_mb, round_<n>_rss_mb, peak_rss_mb,
# growth_mb (peak - idle), pdfs_ok / pdfs_failed. Every fetched body is checked
# to be a PDF. Needs curl and python3.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

ROUNDS="${1:-8}"
PER_ROUND="${2:-64}"
CLIENTS="${3:-16}"
command -v curl >/dev/null || apt_install curl
# HALL_BIN=/path/to/hall measures another build (e.g. the code before a change).
if [ -n "${HALL_BIN:-}" ]; then
  BUILD_DIR="$(mktemp -d /tmp/hall-bench-bin.XXXXXX)"
  ln -s "$(realpath "$HALL_BIN")" "$BUILD_DIR/hall"
fi
[ -x "$BUILD_DIR/hall" ] || build_cpp

WORK="$(mktemp -d /tmp/hall-bench-pdf.XXXXXX)"
HALL_PID=""
cleanup() {
  stop_pid "$HALL_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$HALL_PID/status"; }

cat >"$WORK/hall.toml" <<TOML
[server]
access_log = false
worker_threads = 16
TOML
start_hall "$WORK/hall.log" --config "$WORK/hall.toml" --db "sqlite:$WORK/hall.db" --demo --web-root "$WORK"
HALL="http://127.0.0.1:$HALL_PORT"
TOKEN="$(curl -fsS -H 'Content-Type: application/json' -d '{"login":"admin","password":"admin123"}' \
  "$HALL/api/v1/auth/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$TOKEN" ] || die "could not sign in as admin"
# The demo's documents (certificates, receipts, one-time notices).
IDS="$(curl -fsS -H "Authorization: Bearer $TOKEN" "$HALL/api/v1/documents?page_size=200" |
  python3 -c 'import json, sys; print(" ".join(str(d["id"]) for d in json.load(sys.stdin)["items"]))')"
[ -n "$IDS" ] || die "the demo has no documents"
read -r -a ID_LIST <<<"$IDS"
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$HALL/api/v1/auth/me"  # warm the ordinary paths

IDLE=$(rss_mb)
echo "documents ${#ID_LIST[@]}"
echo "clients $CLIENTS"
echo "idle_rss_mb $IDLE"

fetch() {  # fetch <n>: one PDF, checked; prints ok or failed
  local id="${ID_LIST[$(($1 % ${#ID_LIST[@]}))]}" out="$WORK/pdf.$1"
  if curl -fsS -o "$out" -H "Authorization: Bearer $TOKEN" "$HALL/api/v1/documents/$id/pdf" &&
    [ "$(head -c 5 "$out")" = "%PDF-" ]; then echo ok; else echo failed; fi
  rm -f "$out"
}
export -f fetch
export WORK HALL TOKEN
export ID_STR="$IDS"

PEAK=$IDLE
OK=0
FAILED=0
for r in $(seq 1 "$ROUNDS"); do
  start=$(((r - 1) * PER_ROUND))
  results="$(seq "$start" $((start + PER_ROUND - 1)) |
    xargs -P "$CLIENTS" -I{} bash -c 'read -r -a ID_LIST <<<"$ID_STR"; fetch {}')"
  OK=$((OK + $(grep -c '^ok' <<<"$results" || true)))
  FAILED=$((FAILED + $(grep -c '^failed' <<<"$results" || true)))
  now=$(rss_mb)
  echo "round_${r}_rss_mb $now"
  PEAK=$(awk -v a="$PEAK" -v b="$now" 'BEGIN { print (b > a ? b : a) }')
done
echo "pdfs_ok $OK"
echo "pdfs_failed $FAILED"
echo "peak_rss_mb $PEAK"
echo "growth_mb $(awk -v a="$PEAK" -v b="$IDLE" 'BEGIN { printf "%.1f", a - b }')"
