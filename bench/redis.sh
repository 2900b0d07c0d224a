#!/usr/bin/env bash
# What shared state costs per request: one gateway on a real redis-server, wrk against a group
# without limits (never touches Redis on the hot path) and one with an rpm limit (one Lua EVAL
# round trip to reserve a slot), then the same gateway without Redis. Sequential (1 connection:
# the added latency) and concurrent (throughput).
# Usage: bench/redis.sh [build/switchyard] [seconds] [connections]
set -euo pipefail
bin=${1:-build/switchyard}; secs=${2:-5}; conns=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
redis=$(command -v redis-server || echo /usr/bin/redis-server)

wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

mock_port=$(free_port); redis_port=$(free_port); gw_port=$(free_port); plain_port=$(free_port)
"$redis" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no > "$work/redis.log" 2>&1 &
"$bin" mock --port "$mock_port" --threads 1 > "$work/mock.log" 2>&1 &
wait_port "$redis_port"; wait_port "$mock_port"
models="model_list:
  - {model_name: free, litellm_params: {model: openai_compatible/bench-upstream, api_base: 'http://127.0.0.1:$mock_port/v1'}}
  - {model_name: limited, litellm_params: {model: openai_compatible/bench-limited, api_base: 'http://127.0.0.1:$mock_port/v1', rpm: 1000000000}}
router_settings: {num_retries: 0"
printf '%s, redis_url: "redis://127.0.0.1:%s"}\n' "$models" "$redis_port" > "$work/redis.yaml"
printf '%s}\n' "$models" > "$work/plain.yaml"
"$bin" serve --config "$work/redis.yaml" --port "$gw_port" --threads 1 > "$work/gw.log" 2>&1 &
"$bin" serve --config "$work/plain.yaml" --port "$plain_port" --threads 1 > "$work/plain.log" 2>&1 &
wait_port "$gw_port"; wait_port "$plain_port"

run() {  # name port model connections
  sed "s/MODEL/$3/" "$here/chat.lua" > "$work/chat.lua"
  wrk -t1 -c"$4" -d"${secs}s" --latency -s "$work/chat.lua" "http://127.0.0.1:$2/v1/chat/completions" > "$work/$1.wrk"
  printf '%-34s %10s req/s   avg %-9s p50 %-9s p99 %-9s %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")" \
    "$(awk '$1=="Latency" && $2 ~ /^[0-9]/ {print $2}' "$work/$1.wrk")" "$(awk '$1=="50%" {print $2}' "$work/$1.wrk")" \
    "$(awk '$1=="99%" {print $2}' "$work/$1.wrk")" "$(grep -E 'Non-2xx|Socket errors' "$work/$1.wrk" | tr '\n' ' ' || true)"
}
echo "wrk ${secs}s; gateway and mock 1 I/O thread each; redis-server on loopback; $(nproc) cores"
for c in 1 "$conns"; do
  run "no redis, no limit (c=$c)" "$plain_port" free "$c"
  run "redis, no limit (c=$c)" "$gw_port" free "$c"
  run "redis, rpm limit (c=$c)" "$gw_port" limited "$c"
done
