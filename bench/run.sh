#!/usr/bin/env bash
# `make bench`: runs every benchmark in bench/ (each bench/<name>/run.sh) and prints their
# tables. Benchmarks are programs that report numbers; they never fail because a machine is
# slow. Results worth keeping go to docs/benchmarks.md with command, date, commit, machine.
#
#   BENCH="http search-speed"    run only these (default: every bench/*/run.sh)
#   BENCH_ARGS_<name>="…"        arguments for one of them ('-' in the name becomes '_');
#                                search-speed defaults to --articles 100000 here, because its
#                                own default (1,000,000 articles) takes hours on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --bench

: "${BENCH_ARGS_search_speed:=--articles 100000}"
names=()
if [[ -n "${BENCH:-}" ]]; then
  read -r -a names <<<"$BENCH"
else
  for b in bench/*/run.sh; do names+=("$(basename "$(dirname "$b")")"); done
fi
for name in "${names[@]}"; do
  script="bench/$name/run.sh"
  [[ -f "$script" ]] || { echo "bench: no $script" >&2; exit 2; }
  var="BENCH_ARGS_${name//-/_}"
  read -r -a args <<<"${!var:-}"
  echo "== $script ${args[*]}"
  bash "$script" "${args[@]}"
done
