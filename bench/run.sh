#!/usr/bin/env bash
# End-to-end benchmark: wrk against (1) the mock directly, (2) nginx proxy_pass to the mock,
# (3) Switchyard routing to the mock. Prints requests/s, p50 and p99 for each and the overhead of
# the extra hop as differences and ratios against the direct path. `switchyard-bare` is the same
# gateway with --no-metrics --no-request-log: the cost of observability is the ratio of the two.
# Usage: bench/run.sh [build/switchyard] [seconds] [connections]
set -euo pipefail
bin=${1:-build/switchyard}; secs=${2:-10}; conns=${3:-64}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
threads=${BENCH_THREADS:-1}   # each server gets this many I/O threads; wrk gets 1 (2-core box)

wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

mock_port=$(free_port); gw_port=$(free_port); bare_port=$(free_port); nginx_port=$(free_port)
"$bin" mock --port "$mock_port" --threads "$threads" > "$work/mock.log" 2>&1 &
wait_port "$mock_port"
sed "s/MOCK_PORT/$mock_port/" "$here/bench.yaml" > "$work/bench.yaml"
"$bin" serve --config "$work/bench.yaml" --port "$gw_port" --threads "$threads" > "$work/gw.log" 2>&1 &
wait_port "$gw_port"
"$bin" serve --config "$work/bench.yaml" --port "$bare_port" --threads "$threads" --no-metrics --no-request-log \
  > "$work/gw-bare.log" 2>&1 &
wait_port "$bare_port"
have_nginx=0
if command -v nginx > /dev/null; then
  mkdir -p "$work"/{body,proxy,fcgi,uwsgi,scgi}
  sed "s#PREFIX#$work#g; s/MOCK_PORT/$mock_port/; s/NGINX_PORT/$nginx_port/; s/WORKERS/$threads/" "$here/nginx.conf" > "$work/nginx.conf"
  nginx -c "$work/nginx.conf" -e "$work/error.log" && wait_port "$nginx_port" && have_nginx=1
fi

run() {  # name port model path
  sed "s/MODEL/$3/" "$here/chat.lua" > "$work/chat.lua"
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$2$4" -H 'content-type: application/json' \
    -d "{\"model\":\"$3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" || { echo "$1: request failed" >&2; exit 1; }
  wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$work/chat.lua" "http://127.0.0.1:$2$4" > "$work/$1.wrk"
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.wrk"); p99=$(awk '$1=="99%" {print $2}' "$work/$1.wrk")
  errs=$(grep -E 'Non-2xx|Socket errors' "$work/$1.wrk" | tr '\n' ' ' || true)
  printf '%-22s %12s req/s   p50 %-9s p99 %-9s %s\n' "$1" "$rps" "$p50" "$p99" "$errs"
  echo "$1 $rps $p50 $p99" >> "$work/results"
}

echo "wrk: ${secs}s, $conns connections, 1 wrk thread; servers: $threads I/O thread(s) each; $(nproc) cores"
run direct "$mock_port" bench-upstream /v1/chat/completions
[ "$have_nginx" = 1 ] && run nginx "$nginx_port" bench-upstream /v1/chat/completions
run switchyard "$gw_port" bench-model /v1/chat/completions
run switchyard-bare "$bare_port" bench-model /v1/chat/completions

echo
echo "streaming: time to first byte / first content token (sequential requests, keep-alive)"
for target in "direct $mock_port bench-upstream" "nginx $nginx_port bench-upstream" "switchyard $gw_port bench-model"; do
  set -- $target
  [ "$1" = nginx ] && [ "$have_nginx" != 1 ] && continue
  printf '%-12s %s\n' "$1" "$(python3 "$here/ttft.py" "http://127.0.0.1:$2/v1/chat/completions" "$3" 300)"
done
echo
python3 - "$work/results" <<'PY'
import sys
def us(v):
    v=v.strip()
    for suf,m in (("us",1),("ms",1000),("s",1e6)):
        if v.endswith(suf): return float(v[:-len(suf)])*m
    return float(v)
rows={l.split()[0]:l.split()[1:] for l in open(sys.argv[1])}
d=rows["direct"]; drps=float(d[0]); dp50=us(d[1]); dp99=us(d[2])
for name in ("nginx","switchyard","switchyard-bare"):
    if name not in rows: continue
    r=rows[name]; rps=float(r[0]); p50=us(r[1]); p99=us(r[2])
    print(f"{name:>15}: throughput {rps/drps:5.2f}x direct, p50 +{p50-dp50:7.1f} us ({p50/dp50:4.2f}x), p99 +{p99-dp99:7.1f} us ({p99/dp99:4.2f}x)")
if "switchyard" in rows and "switchyard-bare" in rows:
    w=rows["switchyard"]; b=rows["switchyard-bare"]
    print(f"observability (metrics + request log): throughput {float(w[0])/float(b[0]):4.2f}x of without, p50 +{us(w[1])-us(b[1]):.1f} us")
PY
