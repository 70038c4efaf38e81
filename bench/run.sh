#!/usr/bin/env bash
# `make bench`: runs every benchmark in bench/ and prints their tables. Benchmarks are
# programs that report numbers; they never fail because a machine is slow.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --bench
for b in bench/*/run.sh; do
  echo "== $b"
  bash "$b"
done
