#!/usr/bin/env bash
# `make test`: builds with -Werror and ASan+UBSan, starts a real PostgreSQL 15 on loopback,
# and runs every tier: unit, integration (both backends), fuzz smoke, browser (when present).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh

BUILD=${PBGDPL_TEST_BUILD:-build-asan}
jobs=$(nproc)
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPBGDPL_SANITIZE=ON -DPBGDPL_WERROR=ON \
  -DCMAKE_CXX_FLAGS="-O1" >/dev/null
echo "== build ($BUILD, ASan+UBSan, -Werror)"
ninja -C "$BUILD" -j "$jobs"

work=$(mktemp -d "${TMPDIR:-/tmp}/pbgdpl-ci-XXXXXX")
chmod 755 "$work"
cleanup() { bash scripts/pg-test.sh stop "$work/pg" || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== start PostgreSQL 15 on loopback"
PBGDPL_TEST_PG_URL=$(bash scripts/pg-test.sh start "$work/pg")
export PBGDPL_TEST_PG_URL PBGDPL_REQUIRE_PG=1
export PBGDPL_SHARED_DATA="$root/../shared/data"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TMPDIR="$work"

echo "== unit + integration tiers"
ctest --test-dir "$BUILD" -L 'unit|integration' --output-on-failure -j "$jobs"

if [[ -x scripts/fuzz.sh ]]; then
  echo "== fuzz smoke"
  bash scripts/fuzz.sh smoke
fi

if [[ -f tests/browser/run.sh ]]; then
  echo "== browser tier"
  bash tests/browser/run.sh
fi
echo "== all tiers passed"
