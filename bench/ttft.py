#!/usr/bin/env python3
"""Time to first byte and to first content token of streamed chat completions.

Usage: ttft.py N NAME=URL,MODEL [NAME=URL,MODEL ...] — for each path, N OpenAI-format streaming
requests over one keep-alive connection, p50/p99 of (a) the first body byte and (b) the first SSE
event carrying content text, in microseconds, as Python's http.client sees them (the response head
is parsed before any body byte is read, as an SDK does); then N more over a raw socket: (c) when
the bytes of the first content token reach the client's socket, no HTTP parsing on the client side.
(a)/(b) include the client's own head parsing (~20 us in http.client): a proxy that sends its head
before the first content token lets the client parse it while the upstream is still generating;
(c) shows the proxy's own delay. The paths are measured in interleaved rounds (the order rotating
each round), so that a drift of the machine's state during the run (other load, the host's
scheduling) falls on every path alike. Prints one line per path: NAME key=value ...
Standard library only.
"""
import http.client, json, socket, statistics, sys, time, urllib.parse

def body_of(model):
    return json.dumps({"model": model, "stream": True,
                       "messages": [{"role": "user", "content": "Say hello"}]})

def has_content(buf):
    return b'"content":"' in buf.replace(b'"content":""', b'')

def one(conn, path, model):
    body = body_of(model)
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
        if first_content is None and has_content(buf):
            first_content = now
    if resp.status != 200 or first_content is None:
        raise SystemExit(f"bad stream: HTTP {resp.status} {buf[:200]!r}")
    return (first_byte - start) * 1e6, (first_content - start) * 1e6

class RawClient:
    """HTTP/1.1 over a plain socket: the request bytes out, the response read to its last chunk."""
    def __init__(self, host, port, path, model):
        self.addr = (host, port)
        body = body_of(model).encode()
        self.request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        self.sock = None

    def connect(self):
        self.sock = socket.create_connection(self.addr, timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def one(self):
        for attempt in range(2):  # a keep-alive connection the server closed: once more, fresh
            if self.sock is None:
                self.connect()
            start = time.perf_counter()
            self.sock.sendall(self.request)
            buf, first_content = b"", None
            while not buf.endswith(b"\r\n0\r\n\r\n"):
                data = self.sock.recv(65536)
                if not data:
                    break
                if first_content is None:
                    buf += data
                    if has_content(buf):
                        first_content = time.perf_counter()
                else:
                    buf = buf[-8:] + data
            if buf.endswith(b"\r\n0\r\n\r\n") and first_content is not None:
                return (first_content - start) * 1e6
            self.sock.close()
            self.sock = None
            if attempt == 1 or buf:
                raise SystemExit(f"bad raw stream: {buf[:200]!r}")

kRounds = 6


class Path:
    """One path under test: its http.client connection and its raw-socket client, kept across rounds."""
    def __init__(self, spec):
        self.name, rest = spec.split("=", 1)
        url, self.model = rest.rsplit(",", 1)
        u = urllib.parse.urlparse(url)
        self.path = u.path
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.raw = RawClient(u.hostname, u.port, u.path, self.model)
        self.fb, self.fc, self.sc = [], [], []

    def warm_up(self):  # connections, pools, caches
        for _ in range(20):
            one(self.conn, self.path, self.model)
            self.raw.one()

    def round(self, n):
        for _ in range(n):
            fb, fc = one(self.conn, self.path, self.model)
            self.fb.append(fb)
            self.fc.append(fc)
        self.sc.extend(self.raw.one() for _ in range(n))


def main():
    n = int(sys.argv[1])
    paths = [Path(spec) for spec in sys.argv[2:]]
    for p in paths:
        p.warm_up()
    per_round = [n // kRounds + (1 if r < n % kRounds else 0) for r in range(kRounds)]
    for r, count in enumerate(per_round):
        for p in paths[r % len(paths):] + paths[:r % len(paths)]:
            p.round(count)
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
    for p in paths:
        p.conn.close()
        print(f"{p.name} first_byte_p50_us={statistics.median(p.fb):.0f} first_byte_p99_us={q(p.fb, .99):.0f} "
              f"first_content_p50_us={statistics.median(p.fc):.0f} first_content_p99_us={q(p.fc, .99):.0f} "
              f"socket_first_content_p50_us={statistics.median(p.sc):.0f} socket_first_content_p99_us={q(p.sc, .99):.0f}")

main()
