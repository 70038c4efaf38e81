#!/usr/bin/env bash
# bench/contest: a deadline rush on loopback against a real `pbgdpl serve` (Release build):
# 20,000 participants start, then all submit 50 answers; on SQLite and on PostgreSQL 15;
# then the same rush on SQLite while the server is killed with SIGKILL 20 times and
# restarted, and every acknowledged submission is checked in the database.
#
#   bash bench/contest/run.sh [--participants N] [--clients C] [--crash K] [--backends sqlite,postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=20000 C=64 K=20 BACKENDS=sqlite,postgres
while [[ $# -gt 0 ]]; do
  case "$1" in
    --participants) N=$2; shift 2 ;;
    --clients) C=$2; shift 2 ;;
    --crash) K=$2; shift 2 ;;
    --backends) BACKENDS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
BUILD=${BUILD_DIR:-build-bench}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPBGDPL_TESTS=OFF -DPBGDPL_BENCH=ON >/dev/null
ninja -C "$BUILD" pbgdpl bench-contest >/dev/null
WORK=$(mktemp -d /tmp/pbgdpl-bench-contest.XXXXXX)
chmod 755 "$WORK"  # initdb runs as postgres and needs to reach $WORK/pg
PGDIR=$WORK/pg
cleanup() { scripts/pg-test.sh stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
echo "machine: $(nproc) cores, $(uname -r); commit $(git rev-parse --short HEAD)"
if [[ ,$BACKENDS, == *,sqlite,* ]]; then
  "$BUILD/bench/contest/bench-contest" --bin "$BUILD/pbgdpl" --work "$WORK/sqlite" --participants "$N" --clients "$C"
fi
if [[ ,$BACKENDS, == *,postgres,* ]]; then
  URL=$(scripts/pg-test.sh start "$PGDIR")
  "$BUILD/bench/contest/bench-contest" --bin "$BUILD/pbgdpl" --work "$WORK/pgdata" --database "$URL" --participants "$N" --clients "$C"
  scripts/pg-test.sh stop "$PGDIR" >/dev/null
fi
if [[ $K -gt 0 ]]; then
  echo "crash test: kill -9 the server $K times during the rush (SQLite)"
  "$BUILD/bench/contest/bench-contest" --bin "$BUILD/pbgdpl" --work "$WORK/crash" --participants "$N" --clients "$C" --crash "$K"
fi
