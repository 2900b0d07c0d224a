#!/usr/bin/env bash
# Per-request profile of the gateway on the non-streaming, same-format path (OpenAI client ->
# OpenAI-compatible deployment), in figures that a loaded machine does not blur:
#   1. callgrind: instructions per request (total, and inclusive per function), mallocs per
#      request (calls to malloc/operator new counted by callgrind), over N requests after a
#      warm-up (instrumentation switched on only around the N requests);
#   2. strace -c -f: syscalls per request of the gateway and of one nginx worker, N requests.
# Results land in $BENCH_PROFILE_OUT (default bench/profile-out/): callgrind.out, annotate.txt,
# strace-*.txt; a summary is printed.
# Usage: bench/profile.sh [build/switchyard] [N]   (build RelWithDebInfo for symbols)
# BENCH_PROFILE_QUICK=1: stop after the gateway's callgrind figures (1.), for quick iterations.
# BENCH_PROFILE_STREAM=1: the same figures for streamed requests ("stream": true, read to [DONE]).
set -euo pipefail
bin=${1:-build/switchyard}; n=${2:-2000}
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_PROFILE_OUT:-$here/profile-out}; mkdir -p "$out"
die() { echo "bench/profile.sh: $*" >&2; exit 1; }
for tool in valgrind callgrind_control callgrind_annotate strace nginx python3; do
  command -v "$tool" > /dev/null || die "'$tool' not found (Debian: valgrind strace nginx-light)"
done
work=$(mktemp -d); pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/ngx/nginx.pid" ] && kill "$(cat "$work/ngx/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; die "port $1 never opened"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
stream_arg=; [ "${BENCH_PROFILE_STREAM:-0}" = 1 ] && stream_arg=stream
reqs() { python3 "$here/requests.py" "$@" $stream_arg; }

mock_port=$(free_port); gw_port=$(free_port); strace_port=$(free_port); nginx_port=$(free_port)
"$bin" mock --port "$mock_port" --threads 1 > "$work/mock.log" 2>&1 & pids+=($!)
wait_port "$mock_port"
sed "s/MOCK_PORT/$mock_port/" "$here/bench.yaml" > "$work/bench.yaml"

# 1. callgrind (metrics and request log on, one I/O thread)
rm -f "$out"/callgrind*.out*
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  "$bin" serve --config "$work/bench.yaml" --port "$gw_port" --threads 1 > "$work/gw-callgrind.log" 2>&1 & vg=$!; pids+=($vg)
wait_port "$gw_port"
reqs "$gw_port" bench-model 300                      # warm-up: pool, caches, arenas
callgrind_control -z "$vg" > /dev/null                # zero the counters: count only what follows
reqs "$gw_port" bench-model "$n"
callgrind_control -d "$vg" > /dev/null                # dump the counted interval
sleep 1; kill "$vg"; wait "$vg" 2>/dev/null || true
dump="$out/callgrind.out.1"                           # the explicit dump (callgrind.out: shutdown)
[ -s "$dump" ] || die "callgrind wrote no dump"
callgrind_annotate --inclusive=yes --threshold=100 "$dump" > "$out/annotate-inclusive.txt"
callgrind_annotate --threshold=100 "$dump" > "$out/annotate-self.txt"
python3 "$here/callgrind_summary.py" "$dump" "$n" | tee "$out/summary.txt"
# BENCH_PROFILE_QUICK=1: the gateway's callgrind figures only (exact under load; for iterating).
[ "${BENCH_PROFILE_QUICK:-0}" = 1 ] && exit 0

# 1b. the same for nginx proxy_pass (one process, no master), for the comparison
ngx_cg_port=$(free_port); mkdir -p "$work/ngxcg"/{body,proxy,fcgi,uwsgi,scgi}
sed "s#PREFIX#$work/ngxcg#g; s/MOCK_PORT/$mock_port/; s/NGINX_PORT/$ngx_cg_port/; s/WORKERS/1/" "$here/nginx.conf" > "$work/nginx-cg.conf"
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind-nginx.out" \
  nginx -c "$work/nginx-cg.conf" -e "$work/ngxcg/error.log" -g 'daemon off; master_process off;' > "$work/nginx-cg.log" 2>&1 & vg=$!; pids+=($vg)
wait_port "$ngx_cg_port"; reqs "$ngx_cg_port" bench-upstream 300
callgrind_control -z "$vg" > /dev/null; reqs "$ngx_cg_port" bench-upstream "$n"; callgrind_control -d "$vg" > /dev/null
sleep 1; kill "$vg"; wait "$vg" 2>/dev/null || true
[ -s "$out/callgrind-nginx.out.1" ] || die "callgrind wrote no dump for nginx"
echo "nginx proxy_pass, same requests:"; python3 "$here/callgrind_summary.py" "$out/callgrind-nginx.out.1" "$n" | sed -n 2,3p | tee "$out/summary-nginx.txt"

# 2. syscalls per request: gateway (native) and one nginx worker, strace attached after warm-up
"$bin" serve --config "$work/bench.yaml" --port "$strace_port" --threads 1 > "$work/gw-strace.log" 2>&1 & gw=$!; pids+=($gw)
wait_port "$strace_port"; reqs "$strace_port" bench-model 300
strace -c -f -p "$gw" -o "$out/strace-switchyard.txt" & st=$!; sleep 1
reqs "$strace_port" bench-model "$n"; kill -INT "$st"; wait "$st" 2>/dev/null || true

mkdir -p "$work/ngx"/{body,proxy,fcgi,uwsgi,scgi}
sed "s#PREFIX#$work/ngx#g; s/MOCK_PORT/$mock_port/; s/NGINX_PORT/$nginx_port/; s/WORKERS/1/" "$here/nginx.conf" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -e "$work/ngx/error.log"; wait_port "$nginx_port"
reqs "$nginx_port" bench-upstream 300
worker=$(pgrep -P "$(cat "$work/ngx/nginx.pid")" | head -1)
strace -c -f -p "$worker" -o "$out/strace-nginx.txt" & st=$!; sleep 1
reqs "$nginx_port" bench-upstream "$n"; kill -INT "$st"; wait "$st" 2>/dev/null || true
for who in switchyard nginx; do
  awk -v n="$n" -v who="$who" '$1 ~ /^[0-9.]+$/ && NF >= 5 { name=$NF; calls=$4; printf "  %-11s %-16s %6.2f per request\n", who, name, calls / n }
' "$out/strace-$who.txt"
done | tee "$out/syscalls.txt"

# 3. CPU time per request, user and kernel, from /proc/PID/stat (utime, stime in clock ticks,
#    all threads), over BENCH_CPU_N sequential requests: wall-clock CPU, so noisy on a loaded
#    machine, but it is the only user/kernel split available (the VM has no PMU for perf stat).
cpu_n=${BENCH_CPU_N:-20000}
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
cpu_of() {  # name pid port model
  local before after
  before=$(ticks "$2"); reqs "$3" "$4" "$cpu_n"; after=$(ticks "$2")
  python3 -c "import os,sys; hz=os.sysconf('SC_CLK_TCK'); b=list(map(int,'$before'.split())); a=list(map(int,'$after'.split()));
u=(a[0]-b[0])/hz/$cpu_n*1e6; s=(a[1]-b[1])/hz/$cpu_n*1e6; print(f'  {\"$1\":<22} user {u:5.1f} us  kernel {s:5.1f} us  total {u+s:5.1f} us per request ($cpu_n requests)')"
}
mock_pid=${pids[0]}
{ echo "CPU time per request (/proc/PID/stat, wall-clock CPU, machine load $(cut -d' ' -f1-3 /proc/loadavg)):"
  cpu_of "switchyard (all on)" "$gw" "$strace_port" bench-model
  cpu_of "nginx worker" "$worker" "$nginx_port" bench-upstream
  cpu_of "mock (direct)" "$mock_pid" "$mock_port" bench-upstream
} | tee "$out/cpu.txt"
