#!/usr/bin/env bash
# Search quality on ALQAC 2024: pbgdpl (Xapian) and its peers — SQLite FTS5, PostgreSQL 15
# full-text search, Sphinx 2.2 — in one program, on the same corpus and the same questions.
#
# Installs what is missing (scripts/install-deps.sh --bench), builds the `search-quality`
# program (build-bench/, Release), starts a throwaway PostgreSQL 15 (scripts/pg-test.sh) on
# 127.0.0.1, then prints two Markdown tables: all 529 questions, and the held-out split (every
# 5th question, never used when choosing ranking settings). Sphinx's searchd runs on a free
# 127.0.0.1 port inside the work dir. Everything it starts is stopped on exit, also on Ctrl-C.
#
# It is a program, not a test: it never fails because numbers are low or a machine is slow.
# Takes ~15–25 minutes on 2 cores, nearly all of it PostgreSQL (ts_rank_cd on long OR queries).
#
# Knobs (environment): DATA=<alqac2024 dir> BUILD=<build dir> SPLITS="all heldout"
#   SEARCH_QUALITY_BIN=<prebuilt binary> (skips the build; e.g. to compare two commits)
# Extra arguments go to the program, e.g. `bash bench/search-quality/run.sh --engines pbgdpl,fts5`.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
DATA=${DATA:-$root/../shared/data/alqac2024}
BUILD=${BUILD:-build-bench}
SPLITS=${SPLITS:-all heldout}

log() { echo "bench/search-quality: $*" >&2; }

[[ -f "$DATA/law.json" && -f "$DATA/train.json" ]] || { log "no ALQAC data in $DATA"; exit 1; }

if [[ ! -x /usr/bin/indexer || ! -x /usr/bin/searchd || ! -d /usr/lib/postgresql/15/bin ]] ||
   ! pkg-config --exists libmariadb 2>/dev/null || ! command -v ninja >/dev/null 2>&1; then
  log "installing missing packages"
  bash scripts/install-deps.sh --bench
fi

BIN=${SEARCH_QUALITY_BIN:-}
if [[ -z $BIN ]]; then
  log "building $BUILD/bench/search-quality/search-quality"
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPBGDPL_TESTS=OFF -DPBGDPL_BENCH=ON >/dev/null
  ninja -C "$BUILD" search-quality >/dev/null
  BIN=$BUILD/bench/search-quality/search-quality
fi

work=$(mktemp -d /tmp/pbgdpl-search-quality.XXXXXX)
chmod 755 "$work"  # pg-test.sh runs the server as `postgres` when we are root
cleanup() {
  # The program stops searchd itself; this covers an interrupted run.
  if [[ -f "$work/run/sphinx/searchd.pid" ]]; then
    /usr/bin/searchd --config "$work/run/sphinx/sphinx.conf" --stopwait >/dev/null 2>&1 || true
  fi
  bash scripts/pg-test.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_url=$(bash scripts/pg-test.sh start "$work/pg")
log "PostgreSQL at $pg_url"

for split in $SPLITS; do
  echo
  "$BIN" --data "$DATA" --work "$work/run" --pg "$pg_url" --split "$split" "$@"
done
