#!/usr/bin/env bash
# Catalog search speed: 2,000 items, server-side p50/p99 beside its ceilings
# (GET /healthz round trip, a bare std::string::find scan) from the same run.
#   bench/catalog_search.sh [items=2000] [requests=3000]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
if [ ! -f "$BUILD_DIR/build.ninja" ] && [ ! -f "$BUILD_DIR/Makefile" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target bench_catalog_search >/dev/null
HALL_SOURCE_DIR="$ROOT" "$BUILD_DIR/bench/bench_catalog_search" "${1:-2000}" "${2:-3000}"
