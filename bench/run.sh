#!/usr/bin/env bash
# End-to-end benchmark, one run, every figure of issue 15:
#   - wrk against (1) the mock directly, (2) nginx proxy_pass to the mock, (3) Switchyard with
#     metrics and the request log ON (the configuration the issue's targets are about) and
#     (4) `switchyard-bare` (--no-metrics --no-request-log), at 1 and at 64 connections:
#     requests/s, p50, p99, microseconds added over the direct path, ratio to nginx;
#   - streaming time to first byte / first content token (bench/ttft.py) for every path;
#   - RSS with BENCH_IDLE (10,000) idle keep-alive connections (bench/idle_conns.py) for a fresh
#     Switchyard and a fresh nginx: after connecting (nothing sent) and after one request each.
# nginx and Switchyard get the same number of worker threads / processes (BENCH_THREADS).
# Usage: bench/run.sh [build/switchyard] [seconds]
#   - scaling: Switchyard and nginx at 64 connections with 1..BENCH_SCALE_MAX worker threads.
# Environment: BENCH_THREADS (default 1), BENCH_IDLE (10000; 0 skips), BENCH_TTFT_N (300),
# BENCH_SCALE_MAX (default: the number of cores; 0 or 1 skips the scaling runs).
set -euo pipefail
# The Release binary (-O3, what the Dockerfile ships) when it is built, else the default build.
default_bin=build/switchyard; [ -x build-release/switchyard ] && default_bin=build-release/switchyard
bin=${1:-$default_bin}; secs=${2:-8}
threads=${BENCH_THREADS:-1}; idle_n=${BENCH_IDLE:-10000}; ttft_n=${BENCH_TTFT_N:-300}
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "bench/run.sh: $*" >&2; exit 1; }
for tool in nginx wrk curl python3; do
  command -v "$tool" > /dev/null || die "'$tool' not found (Debian: apt-get install nginx-light wrk curl python3)"
done
[ -x "$bin" ] || die "no gateway binary at '$bin' (cmake --build build --target switchyard)"

work=$(mktemp -d); pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$work"/*-nginx.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 10k idle connections need 10k descriptors in the client and 10k+ in the server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$idle_n" -gt 0 ] && [ "$(ulimit -n)" -lt $((idle_n + 1000)) ]; then
  idle_n=$(( $(ulimit -n) - 1000 ))
  echo "note: ulimit -n is $(ulimit -n); idle-connection test reduced to $idle_n connections" >&2
fi

wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; die "port $1 never opened (logs in $work)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
start() {  # log-name command... ; starts in the background, records the pid in $last_pid
  local log=$1; shift
  "$@" > "$work/$log.log" 2>&1 & last_pid=$!; pids+=("$last_pid")
}
start_nginx() {  # name port -> nginx master pid in $last_pid
  mkdir -p "$work/$1"/{body,proxy,fcgi,uwsgi,scgi}
  sed "s#PREFIX#$work/$1#g; s/MOCK_PORT/$mock_port/; s/NGINX_PORT/$2/; s/WORKERS/$threads/" "$here/nginx.conf" > "$work/$1.conf"
  nginx -c "$work/$1.conf" -e "$work/$1/error.log" || die "nginx did not start: $(cat "$work/$1/error.log" 2>/dev/null)"
  wait_port "$2"; cp "$work/$1/nginx.pid" "$work/$1-nginx.pid"; last_pid=$(cat "$work/$1/nginx.pid")
}

mock_port=$(free_port); gw_port=$(free_port); bare_port=$(free_port); nginx_port=$(free_port)
start mock "$bin" mock --port "$mock_port" --threads "$threads"; wait_port "$mock_port"
sed "s/MOCK_PORT/$mock_port/" "$here/bench.yaml" > "$work/bench.yaml"
start gw "$bin" serve --config "$work/bench.yaml" --port "$gw_port" --threads "$threads"
start gw-bare "$bin" serve --config "$work/bench.yaml" --port "$bare_port" --threads "$threads" --no-metrics --no-request-log
start_nginx nginx "$nginx_port"
wait_port "$gw_port"; wait_port "$bare_port"

# name, port, model for every path
paths=("direct $mock_port bench-upstream" "nginx $nginx_port bench-upstream"
       "switchyard $gw_port bench-model" "switchyard-bare $bare_port bench-model")

run() {  # name port model connections
  sed "s/MODEL/$3/" "$here/chat.lua" > "$work/chat-$3.lua"
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$2/v1/chat/completions" -H 'content-type: application/json' \
    -d "{\"model\":\"$3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" || die "$1: request failed"
  wrk -t1 -c"$4" -d"${secs}s" --latency -s "$work/chat-$3.lua" "http://127.0.0.1:$2/v1/chat/completions" > "$work/$1-c$4.wrk"
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1-c$4.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1-c$4.wrk"); p99=$(awk '$1=="99%" {print $2}' "$work/$1-c$4.wrk")
  errs=$(grep -E 'Non-2xx|Socket errors' "$work/$1-c$4.wrk" | tr '\n' ' ' || true)
  printf '  %-16s %10s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "$errs"
  echo "wrk $1 $4 $rps $p50 $p99" >> "$work/results"
}

echo "bench/run.sh: wrk ${secs}s per run, 1 wrk thread; nginx and Switchyard: $threads worker(s) each; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for c in 1 64; do
  echo "non-streaming chat, $c connection(s):"
  for p in "${paths[@]}"; do set -- $p; run "$1" "$2" "$3" "$c"; done
done

echo "streaming: time to first byte / first content token, $ttft_n sequential requests per path on one keep-alive connection (http.client, then a raw socket), paths interleaved in rounds:"
specs=()
for p in "${paths[@]}"; do set -- $p; specs+=("$1=http://127.0.0.1:$2/v1/chat/completions,$3"); done
python3 "$here/ttft.py" "$ttft_n" "${specs[@]}" > "$work/ttft" || die "streaming failed"
while read -r name line; do
  printf '  %-16s %s\n' "$name" "$line"
  echo "ttft $name $line" >> "$work/results"
done < "$work/ttft"

scale_max=${BENCH_SCALE_MAX:-$(nproc)}
if [ "$scale_max" -gt 1 ]; then
  echo "scaling: 64 connections, worker threads 1..$scale_max (wrk and the mock share the same cores):"
  for n in $(seq 1 "$scale_max"); do
    sport=$(free_port); nport=$(free_port)
    start "scale-gw-$n" "$bin" serve --config "$work/bench.yaml" --port "$sport" --threads "$n"; scale_pid=$last_pid
    saved_threads=$threads; threads=$n; start_nginx "scale-nginx-$n" "$nport"; scale_nginx=$last_pid; threads=$saved_threads
    wait_port "$sport"
    run "switchyard-t$n" "$sport" bench-model 64
    run "nginx-t$n" "$nport" bench-upstream 64
    kill "$scale_pid" "$scale_nginx" 2>/dev/null || true
  done
fi

if [ "$idle_n" -gt 0 ]; then
  echo "memory: RSS with $idle_n idle keep-alive connections (fresh processes):"
  rss_gw_port=$(free_port); rss_nginx_port=$(free_port)
  start rss-gw "$bin" serve --config "$work/bench.yaml" --port "$rss_gw_port" --threads "$threads"; gw_pid=$last_pid
  wait_port "$rss_gw_port"
  start_nginx rss-nginx "$rss_nginx_port"; nginx_master=$last_pid
  sleep 0.5
  nginx_pids=$(echo "$nginx_master" $(pgrep -P "$nginx_master") | tr ' ' ',')
  for target in "switchyard $rss_gw_port $gw_pid bench-model" "nginx $rss_nginx_port $nginx_pids bench-upstream"; do
    set -- $target
    line=$(python3 "$here/idle_conns.py" 127.0.0.1 "$2" "$3" "$idle_n" "$4") || die "$1: idle-connection test failed"
    printf '  %-16s %s\n' "$1" "$line"
    echo "rss $1 $line" >> "$work/results"
  done
fi

echo
python3 - "$work/results" "$idle_n" <<'PY'
import sys
def us(v):
    v = v.strip()
    for suf, m in (("us", 1), ("ms", 1000), ("s", 1e6)):
        if v.endswith(suf): return float(v[:-len(suf)]) * m
    return float(v)
wrk, ttft, rss = {}, {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "wrk": wrk[(f[1], int(f[2]))] = (float(f[3]), us(f[4]), us(f[5]))
    elif f[0] == "ttft": ttft[f[1]] = dict(kv.split("=") for kv in f[2:])
    elif f[0] == "rss": rss[f[1]] = dict(kv.split("=") for kv in f[2:])
print("summary (added = p50/p99 minus the direct path's; x nginx = req/s over nginx's req/s)")
scale = sorted((int(k[0][len("switchyard-t"):]), v[0]) for k, v in wrk.items() if k[0].startswith("switchyard-t"))
if scale:
    print("  scaling at 64 connections: " + ", ".join(
        f"{n} thread(s) {rps:.0f} req/s ({rps / scale[0][1]:.2f}x; nginx {wrk[(f'nginx-t{n}', 64)][0]:.0f})" for n, rps in scale))
for c in (1, 64):
    d = wrk[("direct", c)]; n = wrk.get(("nginx", c))
    for name in ("nginx", "switchyard", "switchyard-bare"):
        if (name, c) not in wrk: continue
        rps, p50, p99 = wrk[(name, c)]
        vs = f"{rps / n[0]:5.2f}x nginx" if n else ""
        print(f"  c={c:<3} {name:>16}: {rps:9.0f} req/s ({rps / d[0]:4.2f}x direct, {vs}), "
              f"added p50 {p50 - d[1]:+7.1f} us, added p99 {p99 - d[2]:+8.1f} us")
if "nginx" in ttft:
    n = ttft["nginx"]
    for name in ("switchyard", "switchyard-bare"):
        if name in ttft:
            t = ttft[name]
            print(f"  TTFT {name:>16}: first content p50 {t['first_content_p50_us']} us vs nginx {n['first_content_p50_us']} us, "
                  f"p99 {t['first_content_p99_us']} vs {n['first_content_p99_us']} us (http.client); at the socket "
                  f"p50 {t['socket_first_content_p50_us']} vs {n['socket_first_content_p50_us']} us")
for name, r in rss.items():
    print(f"  RSS {name:>16}: {int(r['baseline_kb'])/1024:6.1f} MB before, {int(r['idle_kb'])/1024:6.1f} MB with "
          f"{sys.argv[2]} idle connections, {int(r['after_request_kb'])/1024:6.1f} MB after one request on each "
          f"(+{(int(r['after_request_kb'])-int(r['baseline_kb']))/int(sys.argv[2]):.2f} kB per connection; ok={r['ok']})")
# The targets of issue 15, checked on this run's figures.
try:
    ok = lambda b: "met" if b else "NOT met"
    s64, n64 = wrk[("switchyard", 64)], wrk[("nginx", 64)]
    s1, n1, d1 = wrk[("switchyard", 1)], wrk[("nginx", 1)], wrk[("direct", 1)]
    print("issue 15 targets (metrics and request log on):")
    print(f"  req/s at 64 connections >= 1.0x nginx: {s64[0] / n64[0]:.2f}x -> {ok(s64[0] >= n64[0])}")
    print(f"  added p50 at 1 connection <= nginx's + 10 us: {s1[1] - d1[1]:+.1f} vs {n1[1] - d1[1]:+.1f} us -> "
          f"{ok(s1[1] - d1[1] <= n1[1] - d1[1] + 10)}")
    if "switchyard" in ttft and "nginx" in ttft:
        a, b = float(ttft["switchyard"]["first_content_p50_us"]), float(ttft["nginx"]["first_content_p50_us"])
        print(f"  TTFT p50 <= nginx's: {a:.0f} vs {b:.0f} us -> {ok(a <= b)}")
        a, b = float(ttft["switchyard"]["socket_first_content_p50_us"]), float(ttft["nginx"]["socket_first_content_p50_us"])
        print(f"    (the same at the client's socket, without the client's head parsing: {a:.0f} vs {b:.0f} us)")
    if "switchyard" in rss:
        mb = int(rss["switchyard"]["after_request_kb"]) / 1024
        print(f"  RSS <= 50 MB with {sys.argv[2]} idle connections: {mb:.1f} MB -> {ok(mb <= 50 and int(sys.argv[2]) >= 10000)}")
except KeyError as e:
    print(f"  (target check skipped: no figure for {e})")
PY
