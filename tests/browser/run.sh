#!/usr/bin/env bash
# Browser tier (run by scripts/test.sh): starts a real pbgdpl server with the sample content,
# drives Debian's chromium through npm playwright-core (the editor → approver → visitor
# scenario, screenshots in tests/browser/out/), then runs Lighthouse in mobile emulation on
# the home, article, material and search pages and checks the targets.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)
BIN=${PBGDPL_BIN:-$root/${PBGDPL_TEST_BUILD:-build-asan}/pbgdpl}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[[ -x $BIN ]] || { echo "browser: $BIN not built" >&2; exit 1; }
[[ -x $CHROME_PATH ]] || { echo "browser: $CHROME_PATH missing (scripts/install-deps.sh installs chromium)" >&2; exit 1; }

# npm packages pinned by package-lock.json; installed only when missing or changed.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "== browser: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pbgdpl-browser-XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
url="http://127.0.0.1:$port"
data="$work/data"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
common=(--data-dir "$data" --public-url "$url")
"$BIN" migrate "${common[@]}" >/dev/null
"$BIN" sample load "${common[@]}"
echo "Mat-khau-Bien-tap-1" | "$BIN" user add "${common[@]}" --email bientap@stp.anhoa.example --role editor --org AH-STP --name "Lê Biên Tập" >/dev/null
echo "Mat-khau-Duyet-bai-1" | "$BIN" user add "${common[@]}" --email duyet@stp.anhoa.example --role approver --org AH-STP --name "Trần Người Duyệt" >/dev/null
"$BIN" serve "${common[@]}" --listen "127.0.0.1:$port" --workers 2 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$url/healthz" >/dev/null || { echo "browser: server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

mkdir -p out
echo "== browser: scenario (chromium $($CHROME_PATH --version 2>/dev/null | awk '{print $2}'))"
node scenario.mjs "$url" out
echo "== browser: lighthouse (mobile emulation)"
node lighthouse.mjs "$url" out
