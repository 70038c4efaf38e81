#!/usr/bin/env bash
# Installs the Debian bookworm packages pbgdpl needs to build, test and benchmark.
# Idempotent: only missing packages are installed; uses sudo when not root.
set -euo pipefail

PKGS=(
  # toolchain
  g++ cmake ninja-build make ccache pkg-config clang libclang-rt-14-dev
  # libraries
  libboost-dev libboost-system-dev libsqlite3-dev libpq-dev libsodium-dev
  nlohmann-json3-dev libfmt-dev zlib1g-dev libicu-dev libyaml-cpp-dev libxapian-dev
  libpoppler-cpp-dev libzip-dev libcmark-dev libvips-dev libqrencode-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev
  # servers and tools used by tests and benchmarks
  postgresql-15 postgresql-client-15 sqlite3 curl python3
  # portal: speech (espeak-ng voice vi → Opus), browser tests (chromium driven by npm playwright-core)
  espeak-ng opus-tools chromium nodejs
)
if [[ "${1:-}" == "--bench" ]]; then
  PKGS+=(wrk nginx-light procps sphinxsearch libmariadb-dev)
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
