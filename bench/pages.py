"""How fast are the public pages from the page cache? Ratios against a trivial view.

Usage (from the checkout):  .venv/bin/python bench/pages.py [--seconds 5] [--rounds 2]
        [--connections 8] [--workers 2] [--renders 15] [--database-url URL] [--redis-url URL]

It makes a scratch PostgreSQL database (``pingan_bench_pages`` on 127.0.0.1:5432, user
postgres) and uses Redis database 13 (flushed), builds the demo, collects static files,
and starts gunicorn on 127.0.0.1 (a free port, loopback only) with the production settings,
throw-away keys and BENCH_VIEWS=1 (which adds /bench/trivial/). Then, in each round, ``wrk``
(``apt-get install -y wrk``) loads, one after the other and each for ``--seconds`` (and at
most ``--max-requests`` requests per wrk thread):

- trivial: GET /bench/trivial/ (routing and the middleware only: the yardstick);
- the cached portal, candidate index, candidate page and report page (every response must
  be a 200 served by the page cache: ``X-Cache: hit``, or ``stale`` while the one render
  that renews an expired entry runs; those renders are counted and printed);
- the same pages uncached (``Authorization: bench`` makes the page cache skip them), to show
  what the cache saves.

It prints requests/s, p50 and p99 latency and the ratio to the trivial view of the same
round (target >= 0.7 for the cached pages), then, in-process with the same settings and
database, the uncached render time (median of ``--renders``) and the SQL query count of
every public page type next to its bound (bench/page_types.py). gunicorn is stopped and the
scratch data removed at the end; the exit status is 1 if a response was not as expected.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _server import (
    HOST,
    ROOT,
    bench_env,
    flush_redis,
    free_port,
    prepare,
    remove,
    request,
    scratch_postgres,
    start_gunicorn,
    stop,
    wait_until_up,
)
from page_types import PAGE_TYPES

LOADED = ["campaign", "candidate index", "candidate page", "report page"]
WRK_SCRIPT = r"""
-- Counts what is not a 200 (and, when BENCH_WANT_HIT is set, what the page cache did not
-- serve: a "miss" is the one render that renews an expired entry, anything else but "hit"
-- or "stale" is a failure), stops a thread after BENCH_MAX requests, and prints one JSON
-- line with the figures.
local limit = tonumber(os.getenv("BENCH_MAX") or "0")
local want_hit = os.getenv("BENCH_WANT_HIT") == "1"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) count = 0; bad = 0; notHit = 0; renewed = 0 end
function response(status, headers, body)
  count = count + 1
  if status ~= 200 then bad = bad + 1 end
  local served = headers["X-Cache"]
  if want_hit and served == "miss" then renewed = renewed + 1
  elseif want_hit and served ~= "hit" and served ~= "stale" then notHit = notHit + 1 end
  if limit > 0 and count >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local b, m, r = 0, 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("bad"); m = m + t:get("notHit"); r = r + t:get("renewed")
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, '
      .. '"bad": %d, "not_hit": %d, "renewed": %d, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, b, m, r,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""

MEASURE = """
import json, statistics, sys, time
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.PAGE_CACHE_SECONDS = 0  # every render below is uncached
renders, types = int(sys.argv[1]), json.loads(sys.argv[2])
out = {}
for name, url in types.items():
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(url)  # renditions made, caches of the site's root paths warm
    times = []
    for _ in range(renders):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = client.get(url).status_code
            times.append((time.perf_counter() - started) * 1000)
    out[name] = {"status": status, "ms": statistics.median(times), "queries": len(queries)}
print(json.dumps(out))
"""


def wrk(port, path, seconds, connections, max_requests, want_hit, headers=()):
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(script), f"http://{HOST}:{port}{path}"]
    env = {**os.environ, "BENCH_MAX": str(max_requests), "BENCH_WANT_HIT": "1" if want_hit else ""}
    try:
        output = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=seconds + 30, check=True
        ).stdout
    finally:
        script.unlink()
    figures = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def check(name, figures):
    problems = []
    if not figures["requests"]:
        problems.append("no response at all")
    if figures["bad"] or figures["errors"]:
        problems.append(f"{figures['bad']} non-200, {figures['errors']} socket errors")
    if figures.get("not_hit"):
        problems.append(f"{figures['not_hit']} responses not served from the cache")
    if problems:
        print(f"  !! {name}: {'; '.join(problems)}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of one load (1-30)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds (1-5)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (1-64)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per wrk thread")
    parser.add_argument("--renders", type=int, default=15, help="uncached renders per page")
    parser.add_argument("--database-url", help="default: scratch pingan_bench_pages")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1), 30)
    args.rounds = min(max(args.rounds, 1), 5)
    args.connections = min(max(args.connections, 1), 64)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-pages-"))
    database_url = args.database_url or scratch_postgres("pingan_bench_pages")
    flush_redis(args.redis_url)
    env = bench_env(tmp, database_url=database_url, redis_url=args.redis_url)
    prepare(env)
    port = free_port()
    server = start_gunicorn(env, port, workers=args.workers)
    ok = True
    try:
        wait_until_up(port)
        for name in LOADED:  # fill the cache, and make sure each page is really there
            status, headers, _ = request(port, PAGE_TYPES[name][0])
            status, headers, _ = request(port, PAGE_TYPES[name][0])
            if status != 200 or headers.get("X-Cache") != "hit":
                raise SystemExit(f"{name}: {status} X-Cache {headers.get('X-Cache')}")
        print(
            f"gunicorn {args.workers} sync workers on {HOST}:{port}; wrk 2 threads, "
            f"{args.connections} connections, {args.rounds} rounds of {args.seconds} s per URL; "
            f"PostgreSQL + Redis; {os.cpu_count()} CPUs shared by client and server"
        )
        rows = {}
        for n in range(1, args.rounds + 1):
            trivial = wrk(port, "/bench/trivial/", args.seconds, args.connections,
                          args.max_requests, False)  # fmt: skip
            ok &= check("trivial", trivial)
            print(f"round {n}: {'trivial':<26} {trivial['rps']:7.0f} req/s  "
                  f"p50 {trivial['p50_ms']:6.1f} ms  p99 {trivial['p99_ms']:6.1f} ms")  # fmt: skip
            for name in LOADED:
                url = PAGE_TYPES[name][0]
                for label, headers, want_hit in (
                    (f"{name} (cached)", (), True),
                    (f"{name} (uncached)", ("Authorization: bench",), False),
                ):
                    figures = wrk(port, url, args.seconds, args.connections, args.max_requests,
                                  want_hit, headers)  # fmt: skip
                    ok &= check(label, figures)
                    wait_until_up(port)  # the uncached load's queue drained before the next
                    ratio = figures["rps"] / trivial["rps"]
                    rows.setdefault(label, []).append(ratio)
                    renewed = f"  renders {figures['renewed']}" if want_hit else ""
                    print(f"round {n}: {label:<26} {figures['rps']:7.0f} req/s  "
                          f"p50 {figures['p50_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms  "
                          f"ratio {ratio:.2f}{renewed}")  # fmt: skip
        print("\nratio to the trivial view, per round (target >= 0.70 cached):")
        for label, ratios in rows.items():
            target = "" if "uncached" in label else ("  ok" if min(ratios) >= 0.7 else "  LOW")
            print(f"  {label:<26} {' / '.join(f'{r:.2f}' for r in ratios)}{target}")
    finally:
        stop(server)

    print(f"\nuncached render, in-process (median of {args.renders}) and SQL queries:")
    types = {name: spec[0] for name, spec in PAGE_TYPES.items()}
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(args.renders), json.dumps(types)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    measured = json.loads(output.strip().splitlines()[-1])
    for name, figures in measured.items():
        bound = PAGE_TYPES[name][1]
        flag = "" if figures["queries"] <= bound and figures["status"] == 200 else "  OVER"
        ok &= not flag
        print(f"  {name:<18} {figures['ms']:7.1f} ms  {figures['queries']:3d} queries "
              f"(bound {bound}){flag}")  # fmt: skip
    remove(tmp)
    flush_redis(args.redis_url)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
