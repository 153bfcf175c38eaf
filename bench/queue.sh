#!/usr/bin/env bash
# The queue's benchmarks, each beside its ceiling from the same run (bench/queue/queue_bench.cpp):
#   take_tickets_per_s            kiosk take-a-number requests per second, each durably committed
#                                 (SQLite WAL, synchronous=FULL) before its 201 — group commit
#   ceiling_sqlite_inserts_per_s  raw single-row SQLite inserts, one durable transaction each, same disk
#   call_next_duplicates / call_next_lost / call_next_p99_ms
#                                 8 windows calling concurrently over a preloaded queue of 100,000
#   push_clients / push_p99_ms / push_idle_bytes_per_conn
#                                 2,000 board streams (SSE); each call reaches every stream
#
#   bench/queue.sh
#   QUEUE_BENCH_TAKE=20000 QUEUE_BENCH_TAKE_CLIENTS=64 QUEUE_BENCH_CALLS=100000 \
#   QUEUE_BENCH_PUSH_CLIENTS=2000 QUEUE_BENCH_PUSH_CALLS=20 QUEUE_BENCH_WORKERS=64 bench/queue.sh
#
# Prints one "name value" line per figure on stdout; details go to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
if [ ! -f "$BUILD_DIR/build.ninja" ] && [ ! -f "$BUILD_DIR/Makefile" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target bench_queue >/dev/null
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
HALL_SOURCE_DIR="$ROOT" "$BUILD_DIR/bench/bench_queue"
