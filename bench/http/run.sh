#!/usr/bin/env bash
# HTTP benchmark: pbgdpl against Debian nginx serving the same bytes as static files.
#
# Builds the release binary (make build), prepares a throwaway data dir (migrate, sample
# load), starts `pbgdpl serve` and a non-daemon nginx on free loopback ports, then runs wrk
# against four targets, interleaving rounds so that machine noise hits every target alike:
#   pbgdpl /healthz     nginx /healthz-copy (the same "ok" body as a static file)
#   pbgdpl /            nginx / (the home page bytes pbgdpl rendered, as a static file)
#   pbgdpl ARTICLE      nginx /article-copy (an article page's bytes; ARTICLE_PATH, default:
#                       the first news article at /tin-tuc if the portal has one, else the
#                       first legal document of the library)
# It also measures cold start (launch of `pbgdpl serve` until /healthz answers, median of
# COLD_STARTS runs) and the server's RSS (VmRSS/VmHWM from /proc) idle and after the load.
#
# Besides req/s it records the server CPU time per request (user+system, from /proc), which
# stays meaningful on a busy machine where req/s swings with other load.
#
# Prints a Markdown table. It is a program, not a test: it never fails on a slow machine.
# Everything listens on 127.0.0.1 only and everything it starts is stopped on exit.
#
# Knobs (environment): DURATION=10s CONNECTIONS=64 WRK_THREADS=2 ROUNDS=3 WARMUP=2s
#   COLD_STARTS=5 PBGDPL_BIN=<prebuilt binary, skips `make build`> BENCH_OUT=<file for the table>
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2s}
COLD_STARTS=${COLD_STARTS:-5}
NGINX_WORKERS=${NGINX_WORKERS:-2}

log() { echo "bench/http: $*" >&2; }

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
done
if ! command -v wrk >/dev/null 2>&1 || ! command -v nginx >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  log "installing wrk, nginx-light, curl"
  bash "$root/scripts/install-deps.sh" --bench
fi

if [[ -n "${PBGDPL_BIN:-}" ]]; then
  bin=$PBGDPL_BIN
else
  log "make build (release)"
  make -C "$root" --no-print-directory build >&2
  bin="$root/${BUILD:-build}/pbgdpl"
fi
[[ -x "$bin" ]] || { log "binary not found: $bin"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pbgdpl-bench-XXXXXX")
chmod 755 "$work"  # nginx workers (nobody when started as root) read the static copies
pbgdpl_pid=""
nginx_pid=""

stop_pid() {  # stop_pid PID: SIGTERM, wait up to 15 s, then SIGKILL
  local pid=$1 i
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$pbgdpl_pid"
  stop_pid "$nginx_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port: nothing answers a connect there and nobody else picked it.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  log "no free port found"
  return 1
}

# GET /healthz over bash's /dev/tcp (no process spawn, so polling is cheap); true on "ok".
healthz_ok() {
  local port=$1 status=""
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  read -r -t 2 status <&3 || true
  exec 3>&- 3<&-
  [[ "$status" == "HTTP/1.1 200"* ]]
}

now_ns() { date +%s%N; }

data="$work/data"
mkdir -p "$data"
common=(--data-dir "$data" --log-level warn)
log "preparing $data (migrate, sample load)"
"$bin" migrate "${common[@]}" >/dev/null
"$bin" sample load "${common[@]}" >/dev/null

pb_port=$(free_port)
start_pbgdpl() {
  "$bin" serve "${common[@]}" --listen "127.0.0.1:$pb_port" --access-log false >>"$work/pbgdpl.log" 2>&1 &
  pbgdpl_pid=$!
}
wait_ready() {  # prints the ns it took since $1
  local t0=$1 i
  for ((i = 0; i < 20000; i++)); do
    if healthz_ok "$pb_port"; then
      echo $(( $(now_ns) - t0 ))
      return 0
    fi
    kill -0 "$pbgdpl_pid" 2>/dev/null || { log "pbgdpl exited:"; cat "$work/pbgdpl.log" >&2; return 1; }
    sleep 0.002
  done
  log "pbgdpl did not answer /healthz"
  return 1
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# ---- cold start --------------------------------------------------------------------------
log "cold start x$COLD_STARTS"
cold=()
for ((i = 0; i < COLD_STARTS; i++)); do
  t0=$(now_ns)
  start_pbgdpl
  ns=$(wait_ready "$t0")
  cold+=("$(awk -v n="$ns" 'BEGIN {printf "%.1f", n / 1e6}')")
  stop_pid "$pbgdpl_pid"
  pbgdpl_pid=""
done
cold_ms=$(printf '%s\n' "${cold[@]}" | median)

# ---- the server under test ---------------------------------------------------------------
start_pbgdpl
wait_ready "$(now_ns)" >/dev/null
sleep 1
rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }  # kB
rss_idle=$(rss "$pbgdpl_pid" VmRSS)
hwm_idle=$(rss "$pbgdpl_pid" VmHWM)

www="$work/www"
mkdir -p "$www"
curl -fsS -o "$www/healthz" "http://127.0.0.1:$pb_port/healthz"
curl -fsS -o "$www/home.html" "http://127.0.0.1:$pb_port/"
chmod 644 "$www"/*
chmod 755 "$www"
home_bytes=$(stat -c %s "$www/home.html")
if [[ -z "${ARTICLE_PATH:-}" ]]; then
  ARTICLE_PATH=$(curl -fsS "http://127.0.0.1:$pb_port/tin-tuc" 2>/dev/null |
    grep -o 'href="/tin-tuc/[a-z0-9-]*"' | head -1 | sed 's/^href="//; s/"$//' || true)
fi
if [[ -z "${ARTICLE_PATH:-}" ]]; then
  ARTICLE_PATH=$(curl -fsS "http://127.0.0.1:$pb_port/van-ban" |
    grep -o 'href="/van-ban/[a-z0-9-]*"' | grep -v 'tim-kiem' | head -1 | sed 's/^href="//; s/"$//' || true)
fi
[[ -n "$ARTICLE_PATH" ]] || { log "no article page found"; exit 1; }
curl -fsS -o "$www/article.html" "http://127.0.0.1:$pb_port$ARTICLE_PATH"
chmod 644 "$www/article.html"
article_bytes=$(stat -c %s "$www/article.html")

# ---- nginx with the same bytes -----------------------------------------------------------
ng_port=$(free_port)
while [[ "$ng_port" == "$pb_port" ]]; do ng_port=$(free_port); done
mkdir -p "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$ng_port;
    root $www;
    location = /healthz-copy { default_type "text/plain; charset=utf-8"; try_files /healthz =404; }
    location = / { default_type "text/html; charset=utf-8"; try_files /home.html =404; }
    location = /article-copy { default_type "text/html; charset=utf-8"; try_files /article.html =404; }
  }
}
CONF
nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for ((i = 0; i < 500; i++)); do
  curl -fsS -o /dev/null "http://127.0.0.1:$ng_port/healthz-copy" 2>/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || { log "nginx exited:"; cat "$work/nginx/error.log" >&2; exit 1; }
  sleep 0.02
done
cmp -s "$www/home.html" <(curl -fsS "http://127.0.0.1:$ng_port/") || { log "nginx serves different home bytes"; exit 1; }
cmp -s "$www/article.html" <(curl -fsS "http://127.0.0.1:$ng_port/article-copy") || { log "nginx serves different article bytes"; exit 1; }

# ---- load --------------------------------------------------------------------------------
names=("pbgdpl /healthz" "nginx /healthz-copy" "pbgdpl / (home)" "nginx / (home copy)"
       "pbgdpl $ARTICLE_PATH (article)" "nginx /article-copy")
urls=("http://127.0.0.1:$pb_port/healthz" "http://127.0.0.1:$ng_port/healthz-copy"
      "http://127.0.0.1:$pb_port/" "http://127.0.0.1:$ng_port/"
      "http://127.0.0.1:$pb_port$ARTICLE_PATH" "http://127.0.0.1:$ng_port/article-copy")
targets=(0 1 2 3 4 5)

to_ms() {  # wrk latency "812.00us" / "1.23ms" / "2.00s" -> ms
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) {sub(/us$/, "", v); printf "%.3f", v / 1000}
    else if (v ~ /ms$/) {sub(/ms$/, "", v); printf "%.3f", v}
    else if (v ~ /m$/) {sub(/m$/, "", v); printf "%.3f", v * 60000}
    else if (v ~ /s$/) {sub(/s$/, "", v); printf "%.3f", v * 1000}
    else print "nan"}'
}

for t in "${targets[@]}"; do
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${urls[$t]}" >/dev/null
done
# CPU time a server spends (ticks, all threads; nginx: master + workers). Under noise from
# other processes, CPU per request is steadier than req/s: it is what the server costs.
clk_tck=$(getconf CLK_TCK)
cpu_ticks() {
  local pids=("$1") p sum=0
  if [[ "$1" == "$nginx_pid" ]]; then
    for p in /proc/[0-9]*/stat; do
      awk -v pp="$nginx_pid" '{ sub(/^.*\) /, ""); if ($2 == pp) { exit 0 } else { exit 1 } }' "$p" 2>/dev/null &&
        pids+=("$(basename "$(dirname "$p")")")
    done
  fi
  for p in "${pids[@]}"; do
    # utime and stime are fields 14 and 15; strip "pid (comm) " first, comm may hold spaces.
    sum=$((sum + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum"
}
server_of=("$pbgdpl_pid" "$nginx_pid" "$pbgdpl_pid" "$nginx_pid" "$pbgdpl_pid" "$nginx_pid")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= ROUNDS; r++)); do
  for t in "${targets[@]}"; do
    c0=$(cpu_ticks "${server_of[$t]}")
    out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${urls[$t]}")
    c1=$(cpu_ticks "${server_of[$t]}")
    reqs=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    cpu_us=$(awk -v d=$((c1 - c0)) -v hz="$clk_tck" -v n="$reqs" 'BEGIN {printf "%.1f", d * 1e6 / hz / n}')
    errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr -s ' ' | tr '\n' ' ')
    echo "$rps" >>"$work/rps.$t"
    echo "$p50" >>"$work/p50.$t"
    echo "$p99" >>"$work/p99.$t"
    echo "$cpu_us" >>"$work/cpu.$t"
    log "round $r ${names[$t]}: $rps req/s p50 ${p50}ms p99 ${p99}ms server CPU ${cpu_us}us/req ${errs}"
    [[ -z "$errs" ]] || echo "$errs" >>"$work/errors.$t"
  done
  # pbgdpl and nginx ran back to back: their ratio in one round shares that round's noise.
  paste "$work/rps.0" "$work/rps.1" | tail -1 | awk '{print $1 / $2}' >>"$work/ratio.0"
  paste "$work/rps.2" "$work/rps.3" | tail -1 | awk '{print $1 / $2}' >>"$work/ratio.2"
  paste "$work/rps.4" "$work/rps.5" | tail -1 | awk '{print $1 / $2}' >>"$work/ratio.4"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rss_after=$(rss "$pbgdpl_pid" VmRSS)
hwm_after=$(rss "$pbgdpl_pid" VmHWM)

# ---- report ------------------------------------------------------------------------------
declare -a RPS P50 P99 CPU ALL
for t in "${targets[@]}"; do
  RPS[$t]=$(median <"$work/rps.$t")
  P50[$t]=$(median <"$work/p50.$t")
  P99[$t]=$(median <"$work/p99.$t")
  CPU[$t]=$(median <"$work/cpu.$t")
  ALL[$t]=$(awk '{printf "%s%.0f", (NR > 1 ? " / " : ""), $1}' "$work/rps.$t")
done
pct() { awk -v a="$1" 'BEGIN {printf "%.0f %%", 100 * a}'; }
{
  echo "| target | req/s (median) | req/s per round | p50 ms | p99 ms | server CPU µs/req | req/s vs nginx | CPU/req: nginx ÷ pbgdpl |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for t in "${targets[@]}"; do
    case $t in
      0 | 2 | 4)
        vs=$(pct "$(median <"$work/ratio.$t")")
        eff=$(pct "$(awk -v a="${CPU[$((t + 1))]}" -v b="${CPU[$t]}" 'BEGIN {print a / b}')") ;;
      *) vs="—"; eff="—" ;;
    esac
    printf '| %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "${names[$t]}" "${RPS[$t]}" "${ALL[$t]}" "${P50[$t]}" \
      "${P99[$t]}" "${CPU[$t]}" "$vs" "$eff"
  done
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  echo "| cold start (launch → /healthz 200, median of $COLD_STARTS) | ${cold_ms} ms |"
  echo "| cold start, all runs | $(IFS=' '; echo "${cold[*]}") ms |"
  echo "| RSS idle after start | $((rss_idle / 1024)) MiB (${rss_idle} kB) |"
  echo "| peak RSS (VmHWM) before the load | $((hwm_idle / 1024)) MiB (${hwm_idle} kB) |"
  echo "| RSS after the load | $((rss_after / 1024)) MiB (${rss_after} kB) |"
  echo "| peak RSS (VmHWM) after the load | $((hwm_after / 1024)) MiB (${hwm_after} kB) |"
  echo "| home page size | ${home_bytes} bytes |"
  echo "| article page ($ARTICLE_PATH) size | ${article_bytes} bytes |"
  echo
  echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS interleaved rounds after a $WARMUP warm-up;" \
       "nginx worker_processes $NGINX_WORKERS, access_log off; pbgdpl serve --access-log false (other settings default)."
  for t in "${targets[@]}"; do
    [[ -s "$work/errors.$t" ]] && echo "errors on ${names[$t]}: $(sort -u "$work/errors.$t" | tr '\n' ' ')"
  done
  echo "req/s vs nginx: median over rounds of pbgdpl ÷ nginx in the same round. CPU/req: user+system time of the" \
       "server processes during the run ÷ requests (wrk's own CPU excluded); its ratio estimates the throughput ratio" \
       "on a machine that does nothing else."
  echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo);" \
       "load average before the load $load_before, after $load_after"
} | tee "${BENCH_OUT:-/dev/null}"
