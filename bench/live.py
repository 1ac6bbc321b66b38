"""How cheap is an unchanged live-coverage poll? A ratio against a trivial view.

Usage (from the checkout):  .venv/bin/python bench/live.py [--seconds 5] [--rounds 3]
                                 [--clients 8] [--workers 2]

It builds the demo in a throw-away SQLite database (or uses DATABASE_URL / REDIS_URL when
set), starts gunicorn on 127.0.0.1 (a free port, loopback only) with the production settings
and BENCH_VIEWS=1 (which adds /bench/trivial/), then alternates timed rounds of:

- trivial: GET /bench/trivial/ (a JSON view that returns {"ok": true}: routing + middleware only)
- live 304: GET /live/<id>/updates.json?since=<cursor> with If-None-Match = the current ETag,
  i.e. a reader's phone polling when nothing has changed

and prints requests per second and the ratio live/trivial (target >= 0.8). Every round is
bounded in time, every response is checked, and gunicorn is stopped at the end.
"""

import argparse
import os
import re
import tempfile
import threading
import time
from pathlib import Path

from _server import (
    HOST,
    bench_env,
    free_port,
    manage,
    prepare,
    remove,
    request,
    start_gunicorn,
    stop,
    wait_until_up,
)

FIND_COVERAGE = (
    "from media_reports.models import LiveCoveragePage; "
    "print(LiveCoveragePage.objects.get(slug='live', locale__language_code='zh-hans').pk)"
)


def hammer(port, path, headers, expected, seconds, clients):
    """Requests per second of ``clients`` threads for ``seconds``; every status checked."""
    counts = [0] * clients
    errors = []
    until = time.monotonic() + seconds

    def run(i):
        while time.monotonic() < until:
            status, _headers, _body = request(port, path, headers)
            if status != expected:
                errors.append(status)
                return
            counts[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    if errors:
        raise SystemExit(f"{path}: unexpected status {errors[0]} (expected {expected})")
    return sum(counts) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1.0), 30.0)
    args.rounds = min(max(args.rounds, 1), 10)
    args.clients = min(max(args.clients, 1), 64)

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-"))
    env = bench_env(
        tmp,
        database_url=os.environ.get("DATABASE_URL"),
        redis_url=os.environ.get("REDIS_URL"),
    )
    prepare(env, static=False)
    coverage_id = manage(env, "shell", "-v0", "-c", FIND_COVERAGE, capture=True).strip()
    port = free_port()
    server = start_gunicorn(env, port, workers=args.workers)
    try:
        wait_until_up(port)
        endpoint = f"/live/{coverage_id}/updates.json"
        status, headers, body = request(port, endpoint)
        assert status == 200, status
        cursor = re.search(rb'"cursor": (\d+)', body).group(1).decode()
        live_path = f"{endpoint}?since={cursor}"
        # Prime every worker's cache (local memory is per process unless REDIS_URL is set).
        etag = headers["ETag"]
        for _ in range(args.workers * 10):
            request(port, live_path, {"If-None-Match": etag})
        print(
            f"gunicorn {args.workers} workers on {HOST}:{port}, {args.clients} clients, "
            f"{args.rounds} rounds of {args.seconds:g} s each; cache: "
            f"{'redis' if env.get('REDIS_URL') else 'local memory'}; "
            f"database: {env['DATABASE_URL'].split(':')[0]}"
        )
        ratios = []
        for n in range(1, args.rounds + 1):
            trivial = hammer(port, "/bench/trivial/", {}, 200, args.seconds, args.clients)
            live = hammer(port, live_path, {"If-None-Match": etag}, 304, args.seconds, args.clients)
            ratios.append(live / trivial)
            print(
                f"round {n}: trivial {trivial:8.0f} req/s   live 304 {live:8.0f} req/s   "
                f"ratio {live / trivial:.2f}"
            )
        ratios.sort()
        print(f"median ratio live-304 / trivial: {ratios[len(ratios) // 2]:.2f} (target >= 0.80)")
    finally:
        stop(server)
        remove(tmp)


if __name__ == "__main__":
    main()
