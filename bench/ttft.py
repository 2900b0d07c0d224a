#!/usr/bin/env python3
"""Time to first byte and to first content token of streamed chat completions.

Usage: ttft.py URL MODEL [N]  — sends N sequential OpenAI-format streaming requests over one
keep-alive connection and prints p50/p99 of (a) the first body byte and (b) the first SSE event
carrying content text, in microseconds. Standard library only.
"""
import http.client, json, statistics, sys, time, urllib.parse

def one(conn, path, model):
    body = json.dumps({"model": model, "stream": True,
                       "messages": [{"role": "user", "content": "Say hello"}]})
    start = time.perf_counter()
    conn.request("POST", path, body, {"content-type": "application/json"})
    resp = conn.getresponse()
    first_byte = first_content = None
    buf = b""
    while True:
        chunk = resp.read1(65536)
        if not chunk:
            break
        now = time.perf_counter()
        if first_byte is None:
            first_byte = now
        buf += chunk
        if first_content is None and b'"content":"' in buf.replace(b'"content":""', b''):
            first_content = now
    if resp.status != 200 or first_content is None:
        raise SystemExit(f"bad stream: HTTP {resp.status} {buf[:200]!r}")
    return (first_byte - start) * 1e6, (first_content - start) * 1e6

def main():
    url, model = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    for _ in range(20):  # warm-up: connections, pools, caches
        one(conn, u.path, model)
    fb, fc = zip(*(one(conn, u.path, model) for _ in range(n)))
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
    print(f"first_byte_p50_us={statistics.median(fb):.0f} first_byte_p99_us={q(fb, .99):.0f} "
          f"first_content_p50_us={statistics.median(fc):.0f} first_content_p99_us={q(fc, .99):.0f}")

main()
