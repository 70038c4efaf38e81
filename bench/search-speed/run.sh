#!/usr/bin/env bash
# bench/search-speed: our search engine vs SQLite FTS5, PostgreSQL 15 FTS and Sphinx 2.2 on a
# synthetic corpus recombined from real legal text. Prints a Markdown table; stops by itself
# (every query pass is capped by --max-seconds); servers listen on 127.0.0.1 only and are
# stopped at the end.
#
#   bash bench/search-speed/run.sh [--articles N] [--queries N] [--engines pbgdpl,fts5,postgres,sphinx]
#                                  [--max-seconds S] [--repeat R] [--work DIR] [--keep] [--reuse]
# Defaults: 1,000,000 articles, 10,000 queries, all engines, 600 s per query pass, 3 query
# runs per engine (the table shows their medians and the load average range), work dir
# /tmp/pbgdpl-search-speed (removed at the end unless --keep). --reuse keeps the corpus and
# the results already in the work dir (e.g. to re-measure one engine after a change). Start
# with --articles 100000: the 1M run takes hours on 2 shared cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
ARTICLES=1000000 QUERIES=10000 ENGINES=pbgdpl,fts5,postgres,sphinx MAX_S=600 WORK=/tmp/pbgdpl-search-speed KEEP=0
REPEAT=3 REUSE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --articles) ARTICLES=$2; shift 2 ;;
    --queries) QUERIES=$2; shift 2 ;;
    --engines) ENGINES=$2; shift 2 ;;
    --max-seconds) MAX_S=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --reuse) REUSE=1; KEEP=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
BUILD=${BUILD_DIR:-build-bench}
DATA=${DATA:-../shared/data}
BIN=${SEARCH_SPEED_BIN:-}  # a prebuilt binary (skips the build)
if [[ -z $BIN ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPBGDPL_TESTS=OFF -DPBGDPL_BENCH=ON >/dev/null
  cmake --build "$BUILD" --target search-speed >/dev/null
  BIN=$BUILD/bench/search-speed/search-speed
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
if [[ $REUSE -eq 0 ]]; then rm -rf "$WORK/results"; fi

cleanup() {
  if [[ -f "$WORK/sphinx/searchd.pid" ]] && kill -0 "$(cat "$WORK/sphinx/searchd.pid")" 2>/dev/null; then
    searchd --config "$WORK/sphinx/sphinx.conf" --stopwait >/dev/null 2>&1 || true
  fi
  [[ -d "$WORK/pg" ]] && bash scripts/pg-test.sh stop "$WORK/pg" || true
  if [[ $KEEP -eq 0 ]]; then rm -rf "$WORK/pbgdpl" "$WORK/fts5" "$WORK/sphinx" "$WORK/corpus.tsv"; fi
}
trap cleanup EXIT

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $REUSE -eq 1 && -f "$WORK/corpus.tsv" && -f "$WORK/queries.tsv" ]]; then
  log "reusing the corpus in $WORK"
else
  log "generating $ARTICLES articles, $QUERIES queries"
  "$BIN" gen --work "$WORK" --articles "$ARTICLES" --queries "$QUERIES" --data "$DATA" >/dev/null
fi

IFS=, read -ra engines <<<"$ENGINES"
for e in "${engines[@]}"; do
  extra=()
  if [[ $e == postgres ]]; then
    bash scripts/pg-test.sh stop "$WORK/pg" >/dev/null 2>&1 || true
    rm -rf "$WORK/pg"
    url=$(bash scripts/pg-test.sh start "$WORK/pg")
    extra=(--pg "$url" --pg-dir "$WORK/pg")
  fi
  log "$e: build"
  "$BIN" build --engine "$e" --work "$WORK" "${extra[@]}" >/dev/null || log "$e: build failed"
  rm -f "$WORK/results/$e.query".*json
  for ((r = 1; r <= REPEAT; r++)); do
    log "$e: queries, run $r of $REPEAT (load $(cut -d' ' -f1 /proc/loadavg))"
    "$BIN" query --engine "$e" --work "$WORK" --queries "$QUERIES" --max-seconds "$MAX_S" --run "$r" "${extra[@]}" \
      >/dev/null || log "$e: queries failed"
  done
  if [[ $e == postgres ]]; then bash scripts/pg-test.sh stop "$WORK/pg"; fi
  if [[ $KEEP -eq 0 && $e != postgres ]]; then rm -rf "${WORK:?}/$e"; fi
done
log "done"
"$BIN" report --work "$WORK"
