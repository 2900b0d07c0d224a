#!/usr/bin/env python3
"""Memory of idle keep-alive connections: RSS of a server process with N open connections.

Usage: idle_conns.py HOST PORT PID[,PID...] N MODEL
  1. reads VmRSS of PID (summed over a comma-separated list: nginx master and workers), baseline,
  2. opens N TCP connections that send nothing, waits until the server has accepted them
     (a short settle), reads VmRSS ("idle, nothing sent"),
  3. sends one small non-streaming chat request on every connection, reads every answer
     (Content-Length framed) and keeps the connections open, reads VmRSS ("idle after one
     request": the state of a real keep-alive client between requests),
  4. prints one line `baseline_kb=… idle_kb=… after_request_kb=… ok=… failed=…` and closes all.
Standard library only (selectors, non-blocking sockets); needs `ulimit -n` above N.
"""
import selectors, socket, sys, time

def rss_kb(pids):
    """Sum of VmRSS over the given processes (nginx: master and workers)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
    return total

def main():
    host, port, n, model = sys.argv[1], int(sys.argv[2]), int(sys.argv[4]), sys.argv[5]
    pid = [int(p) for p in sys.argv[3].split(",")]
    body = ('{"model":"%s","messages":[{"role":"user","content":"hi"}],"max_tokens":8}' % model).encode()
    req = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
           b"Authorization: Bearer sk-bench\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    baseline = rss_kb(pid)

    sel = selectors.DefaultSelector()
    socks, pending = [], set()
    for _ in range(n):  # connect in small bursts so the listen backlog never overflows
        s = socket.socket(); s.setblocking(False)
        s.connect_ex((host, port))
        socks.append(s); pending.add(s); sel.register(s, selectors.EVENT_WRITE)
        if len(pending) >= 256:
            drain_connects(sel, pending)
    drain_connects(sel, pending)
    failed = sum(1 for s in socks if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0)
    time.sleep(1.0)  # let the server accept and set up every session
    idle = rss_kb(pid)

    # One request per connection, a window of 256 in flight at a time.
    ok = 0
    it = iter(s for s in socks if s.fileno() >= 0)
    inflight = {}
    def start_next():
        for s in it:
            try:
                s.setblocking(True); s.sendall(req); s.setblocking(False)
            except OSError:
                continue
            inflight[s] = bytearray(); sel.register(s, selectors.EVENT_READ)
            return True
        return False
    for _ in range(256):
        if not start_next():
            break
    deadline = time.time() + 120
    while inflight and time.time() < deadline:
        for key, _ in sel.select(timeout=1.0):
            s = key.fileobj; buf = inflight[s]
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            buf += chunk
            done = not chunk or complete(buf)
            if done:
                sel.unregister(s); del inflight[s]
                if chunk and buf.startswith(b"HTTP/1.1 200"):
                    ok += 1
                start_next()
    time.sleep(1.0)
    after = rss_kb(pid)
    print(f"baseline_kb={baseline} idle_kb={idle} after_request_kb={after} ok={ok} failed={failed + (n - ok - failed if ok < n else 0)}")
    for s in socks:
        s.close()

def drain_connects(sel, pending):
    deadline = time.time() + 30
    while pending and time.time() < deadline:
        for key, _ in sel.select(timeout=1.0):
            sel.unregister(key.fileobj); pending.discard(key.fileobj)
    for s in list(pending):
        sel.unregister(s); pending.discard(s)

def complete(buf):
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return False
    length = 0
    for line in bytes(buf[:head_end]).split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    return len(buf) >= head_end + 4 + length

main()
