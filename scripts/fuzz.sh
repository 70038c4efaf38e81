#!/usr/bin/env bash
# libFuzzer targets (fuzz/): builds them with clang (ASan+UBSan) in build-fuzz and runs each
# on a temporary copy of its seed corpus.
#   bash scripts/fuzz.sh smoke   ~10 s per target (part of `make test`)
#   bash scripts/fuzz.sh long    10 min per target; new corpus entries are kept in build-fuzz/corpus/
# PBGDPL_FUZZ_TARGETS="fuzz_law_parser fuzz_search_query" runs only those; PBGDPL_FUZZ_SECONDS=N.
# Fails when a target crashes, leaks, times out or breaks an invariant; the reproducer is
# copied to build-fuzz/artifacts/<target>/ (replay: build-fuzz/<target> <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=${1:-smoke}
case "$mode" in
  smoke) secs=${PBGDPL_FUZZ_SECONDS:-10} ;;
  long) secs=${PBGDPL_FUZZ_SECONDS:-600} ;;
  *) echo "usage: $0 smoke|long" >&2; exit 2 ;;
esac
BUILD=${PBGDPL_FUZZ_BUILD:-build-fuzz}
targets=(fuzz_http_request fuzz_urlencoded fuzz_template fuzz_law_parser fuzz_search_query fuzz_markdown)
if [[ -n ${PBGDPL_FUZZ_TARGETS:-} ]]; then read -ra targets <<<"$PBGDPL_FUZZ_TARGETS"; fi  # e.g. "fuzz_law_parser"

for tool in clang clang++; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
done

echo "== fuzz: build ($BUILD, clang, libFuzzer + ASan + UBSan)"
CC=clang CXX=clang++ cmake -S fuzz -B "$BUILD" -G Ninja >/dev/null
ninja -C "$BUILD" "${targets[@]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/pbgdpl-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT

declare -A dict=([fuzz_http_request]=fuzz/http.dict [fuzz_urlencoded]=fuzz/http.dict [fuzz_template]=fuzz/template.dict
  [fuzz_law_parser]=fuzz/law.dict [fuzz_search_query]=fuzz/search.dict
  [fuzz_markdown]=fuzz/markdown.dict)
declare -A max_len=([fuzz_http_request]=8192 [fuzz_urlencoded]=4096 [fuzz_template]=2048 [fuzz_law_parser]=16384
  [fuzz_search_query]=12288 [fuzz_markdown]=4096)

failed=()
for t in "${targets[@]}"; do
  corpus="$work/$t/corpus"
  mkdir -p "$corpus" "$work/$t/artifacts"
  cp fuzz/corpus/"$t"/* "$corpus"/
  if [[ $mode == long && -d "$BUILD/corpus/$t" ]]; then cp "$BUILD/corpus/$t"/* "$corpus"/ 2>/dev/null || true; fi
  echo "== fuzz: $t for ${secs}s"
  set +e
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]}" \
    -dict="${dict[$t]}" -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
    "$corpus" >"$work/$t/log" 2>&1
  rc=$?
  set -e
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE" "$work/$t/log" | sed "s/^/   /" || true
  if [[ $rc -ne 0 ]]; then
    failed+=("$t")
    mkdir -p "$BUILD/artifacts/$t"
    cp "$work/$t/artifacts"/* "$BUILD/artifacts/$t/" 2>/dev/null || true
    cp "$work/$t/log" "$BUILD/artifacts/$t/log"
    echo "!! $t failed (exit $rc); log and reproducer in $BUILD/artifacts/$t/" >&2
    grep -E "ERROR|invariant|SUMMARY|Assertion|runtime error" "$work/$t/log" | head -20 >&2 || true
  fi
  if [[ $mode == long ]]; then
    mkdir -p "$BUILD/corpus/$t"
    cp "$corpus"/* "$BUILD/corpus/$t/" 2>/dev/null || true
  fi
done

if (( ${#failed[@]} )); then
  echo "== fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "== fuzz: all ${#targets[@]} targets ran ${secs}s without a crash"
