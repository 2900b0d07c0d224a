#!/usr/bin/env python3
"""Per-request figures from a callgrind dump: instructions, allocations, and the cost of chosen
functions (inclusive), each divided by the number of requests.

Usage: callgrind_summary.py CALLGRIND_OUT N
Reads the dump directly (name compression, `calls=` lines): self cost per function, inclusive
cost per function (self + the inclusive cost recorded on its call lines, recursion not
deduplicated), and call counts per callee. Standard library only.
"""
import collections, re, sys

path, n = sys.argv[1], int(sys.argv[2])
def decompressor():
    """Callgrind's name compression: "(id) name" defines an id, "(id)" refers to it. One table each
    for functions (fn/cfn share it) and shared objects (ob/cob)."""
    table = {}
    def resolve(spec):
        m = re.match(r"\((\d+)\)(?:\s+(.*))?", spec)
        if not m:
            return spec
        if m.group(2):
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), spec)
    return resolve
name_of, object_of = decompressor(), decompressor()

self_cost = collections.Counter(); incl_calls = collections.Counter(); calls = collections.Counter()
fn_object = {}      # function -> the shared object that defines it
fn = cfn = None; pending_calls = None; total = 0; ob = ""
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("ob="):
        ob = object_of(line[3:])
    elif line.startswith("cob="):
        object_of(line[4:])  # registers the id; the callee's own fn= block names its object
    elif line.startswith("fn="):
        fn = name_of(line[3:])
        fn_object.setdefault(fn, ob)
    elif line.startswith("cfn="):
        cfn = name_of(line[4:])
    elif line.startswith("calls="):
        pending_calls = int(line[6:].split()[0])
    elif line.startswith("summary:") or line.startswith("totals:"):
        total = max(total, int(line.split()[1]))
    elif line and (line[0].isdigit() or line[0] in "+-*"):
        parts = line.split()
        cost = int(parts[1]) if len(parts) > 1 else 0
        if pending_calls is not None:
            if cfn != fn:  # recursion would count twice
                incl_calls[fn] += cost
            calls[cfn] += pending_calls
            pending_calls = None
        else:
            self_cost[fn] += cost
incl = {f: self_cost[f] + incl_calls[f] for f in set(self_cost) | set(incl_calls)}
total = total or sum(self_cost.values())

# glibc: operator new and memalign end in malloc, so counting calls to malloc itself counts each
# block once. jemalloc (the Release and default builds link it) defines operator new/delete itself
# and calls its internal allocator from them, so there its operator new/delete calls count too.
in_jemalloc = lambda f: "jemalloc" in fn_object.get(f, "")
alloc_re = re.compile(r"^(malloc|calloc|realloc|aligned_alloc|posix_memalign)$")
free_re = re.compile(r"^(free|sdallocx)$")
allocs = sum(c for f, c in calls.items() if alloc_re.match(f) or (in_jemalloc(f) and f.startswith("operator new")))
frees = sum(c for f, c in calls.items() if free_re.match(f) or (in_jemalloc(f) and f.startswith("operator delete")))
# Every function's self cost in exactly one bucket (first matching pattern): a disjoint split
# that sums to the total. Order matters: specific before generic.
BUCKETS = [
    ("allocator (malloc/free/new/delete)", r"^(malloc|free|_int_malloc|_int_free|malloc_consolidate|_mid_memalign|memalign|cfree|unlink_chunk|operator new|operator delete|tcache|__libc_malloc|__libc_free)"),
    ("request log (text line, UTF-8 check, timestamp, spdlog, fmt, stdio)", r"switchyard::api::RequestLog|switchyard::api::\(anonymous namespace\)::(text_|utc_timestamp|json_line)|valid_utf8|switchyard::core::\(anonymous namespace\)::sequence_length|spdlog::|fmt::|__vfprintf|__strftime|strftime|__printf_fp|_IO_|__tz|__offtime|gmtime|localtime"),
    ("metrics", r"switchyard::api::(Metrics|record_request|\(anonymous namespace\)::build_key)"),
    ("JSON parse (boost::json parser, value_stack)", r"boost::json::(parser|basic_parser|value_stack|detail::(utf8|load_|count_|sse2|parse_))|boost::json::parse"),
    ("JSON serialize", r"boost::json::(serializer|serialize|detail::(format_|write_))"),
    ("JSON DOM build/copy/destroy/lookup", r"boost::json::"),
    ("HTTP parse (beast basic_parser)", r"boost::beast::http::(basic_parser|detail::basic_parser_base|parser<)"),
    ("HTTP write: beast serializer, buffer sequences, header fields", r"boost::beast::(buffers_|detail::buffers_|http::(serializer|detail::write|basic_fields|message|detail::chunk)|http::async_write|http::detail::(write|serializer))|boost::beast::detail::variant|boost::beast::http::basic_fields"),
    ("beast stream / read ops", r"boost::beast::"),
    ("asio runtime (scheduler, reactor, timers, executors, awaitable frames, cancellation, parallel_group)", r"boost::asio::"),
    ("router / strategy / retry state", r"switchyard::router::"),
    ("providers (encode/decode, adapter)", r"switchyard::providers::"),
    ("http client pool", r"switchyard::http::(ClientPool|ClientPoolImplBase|\(anonymous namespace\)::(write_and_read|read_body|build_message|connect)|host_header|Url|UpstreamRe)"),
    ("gateway / server / other switchyard", r"switchyard::"),
    ("libc memcpy/memmove/memset/str*", r"^(__mem|mem|__str|str|__wmem|__nss|wmem)"),
    ("syscall wrappers (user side)", r"^(sendmsg|recvmsg|recv|send|epoll_wait|epoll_ctl|timerfd_settime|__libc_send|__libc_recv|write|__GI___|__libc_write|syscall|futex|__futex|pthread_|__pthread|___pthread|clock_gettime|__clock_gettime|__vdso|__lll)"),
    ("std library (strings, vectors, exceptions, variant)", r"^(std::|void std::|__cxa|_Unwind|__gxx|__dynamic_cast)"),
]
buckets = collections.Counter()
for f, c in self_cost.items():
    label = "allocator (malloc/free/new/delete)" if in_jemalloc(f) else \
        next((b for b, pat in BUCKETS if re.search(pat, f)), "other (unsymbolised, dynamic loader, misc)")
    buckets[label] += c
alloc_ir = buckets["allocator (malloc/free/new/delete)"]

print(f"requests: {n}")
print(f"instructions per request (whole process, user space): {total / n:,.0f}")
print(f"allocations per request: {allocs / n:.1f} (malloc/new calls), frees {frees / n:.1f}; "
      f"allocator instructions per request {alloc_ir / n:,.0f} (self cost of malloc/free and their internals)")
print("self cost by bucket (instructions per request, disjoint, sums to the total):")
for b, c in buckets.most_common():
    print(f"  {c / n:10,.0f}  {c * 100 / total:5.1f}%  {b}")
print("top 45 functions by inclusive instructions per request:")
for f, c in sorted(incl.items(), key=lambda kv: -kv[1])[:45]:
    print(f"  {c / n:10,.0f}  {c * 100 / total:5.1f}%  {f[:150]}")
print("top 30 functions by self instructions per request:")
for f, c in self_cost.most_common(30):
    print(f"  {c / n:10,.0f}  {c * 100 / total:5.1f}%  {f[:150]}")
