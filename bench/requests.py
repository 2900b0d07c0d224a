#!/usr/bin/env python3
"""Send exactly N small non-streaming chat requests, sequentially on one keep-alive connection.

Usage: requests.py PORT MODEL N [stream]
With `stream`, the requests ask for a streamed answer ("stream": true) and read it to its end.
Used by bench/profile.sh: a fixed request count lets instruction counts (callgrind), syscall
counts (strace) and allocation counts be divided by N. Exits non-zero on any non-200 answer.
Standard library only.
"""
import http.client, sys

port, model, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
stream = ',"stream":true' if len(sys.argv) > 4 and sys.argv[4] == "stream" else ""
# BENCH_REQUEST_TURNS=N: N earlier user/assistant exchanges before the question (a longer body,
# as multi-turn chats send); default none.
import os
turns = int(os.environ.get("BENCH_REQUEST_TURNS", "0"))
earlier = "".join('{"role":"user","content":"Question %d: what is the capital of country number %d?"},'
                  '{"role":"assistant","content":"The capital of country %d is City %d, on the river \\"%d\\"."},'
                  % (i, i, i, i, i) for i in range(turns))
body = ('{"model":"%s","messages":[%s{"role":"user","content":"Say hello in one short sentence."}],'
        '"max_tokens":32%s}' % (model, earlier, stream))
headers = {"Content-Type": "application/json", "Authorization": "Bearer sk-bench"}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for i in range(n):
    conn.request("POST", "/v1/chat/completions", body, headers)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 200 or (stream and b"[DONE]" not in data):
        raise SystemExit(f"request {i}: HTTP {resp.status} {data[:200]!r}")
