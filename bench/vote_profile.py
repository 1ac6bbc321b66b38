"""Where one vote's time goes: in-process, production settings, PostgreSQL (or SQLite) + Redis.

Usage (from the checkout):  .venv/bin/python bench/vote_profile.py [--backend postgres|sqlite]
        [--votes 200] [--redis redis://127.0.0.1:6379/12] [--database pingan_bench_vote_profile]
        [--profile 25] [--show-sql] [--cpu]

It makes a scratch database (PostgreSQL: ``--database`` on 127.0.0.1:5432 as ``postgres``,
dropped at the end; SQLite: a temporary file) and flushes its own Redis database, builds the
demo, makes voters with Bearer tokens, and then sends ``POST /api/v1/votes/`` through Django's
test client (the whole middleware stack, no socket), each voter voting once per candidate as
in bench/votes.py. It prints, per vote: the median and p90 wall time, the SQL statements and
their time, the Redis round trips (commands, or one pipeline) and their time; the same for
``GET /bench/trivial/`` (routing and middleware only), with the CPU time of this process
(the Python side: what a gunicorn worker would spend); then the top of a cProfile of the
votes (``--profile`` lines by cumulative time, as many by own time). A benchmark, not a
test: nothing is asserted.
"""

import argparse
import base64
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PHONE_BASE = 8_000_000  # 1741 8000000 …: the 1741 block is never issued


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--votes", type=int, default=200, help="votes timed (and profiled)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12", help="flushed!")
    parser.add_argument("--database", default="pingan_bench_vote_profile")
    parser.add_argument("--profile", type=int, default=25, help="profile lines shown")
    parser.add_argument("--show-sql", action="store_true", help="print one vote's statements")
    parser.add_argument(
        "--cpu", action="store_true", help="profile CPU time (process_time) instead of wall time"
    )
    args = parser.parse_args()
    args.votes = min(max(args.votes, 10), 5000)
    if not args.redis.startswith("redis://127.0.0.1:"):
        raise SystemExit("--redis must be a loopback Redis (its database is flushed)")
    if not args.database.replace("_", "").isalnum():
        raise SystemExit("--database: letters, digits and underscores only")
    return args


def configure(args, tmp):
    """Environment of the production settings with throw-away keys, before Django starts."""
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    if args.backend == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {args.database}")
        database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    else:
        database_url = f"sqlite:///{tmp / 'profile.db'}"
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pingan.settings.production",
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis,
            "MEDIA_ROOT": str(tmp / "media"),
            "BENCH_VIEWS": "1",
            "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "testserver",
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "VOTER_HASH_KEY": os.urandom(16).hex(),
            "SECURE_SSL_REDIRECT": "false",
            "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
        }
    )


class RedisMeter:
    """Counts Redis round trips (a command, or a whole pipeline) and their time."""

    def __init__(self):
        import redis.client

        self.trips = 0
        self.commands = 0
        self.seconds = 0.0
        meter = self
        single, pipelined = redis.client.Redis.execute_command, redis.client.Pipeline.execute

        def execute_command(client, *args, **kwargs):
            if isinstance(client, redis.client.Pipeline):  # queued, sent by execute()
                return single(client, *args, **kwargs)
            start = time.perf_counter()
            try:
                return single(client, *args, **kwargs)
            finally:
                meter.seconds += time.perf_counter() - start
                meter.trips += 1
                meter.commands += 1

        def execute(pipeline, *args, **kwargs):
            meter.commands += len(pipeline.command_stack)
            start = time.perf_counter()
            try:
                return pipelined(pipeline, *args, **kwargs)
            finally:
                meter.seconds += time.perf_counter() - start
                meter.trips += 1

        redis.client.Redis.execute_command = execute_command
        redis.client.Pipeline.execute = execute

    def reset(self):
        self.trips = self.commands = 0
        self.seconds = 0.0


def measure(client, requests, redis_meter, show_sql=False):
    """Send ``requests`` (callables taking the client); per-request wall, SQL and Redis."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, sql_counts, sql_times, trips, commands, redis_times, statuses = (
        [] for _ in range(8)
    )
    for n, send in enumerate(requests):
        redis_meter.reset()
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            response = send(client)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        statuses.append(response.status_code)
        sql_counts.append(len(queries.captured_queries))
        sql_times.append(sum(float(q["time"]) for q in queries.captured_queries))
        trips.append(redis_meter.trips)
        commands.append(redis_meter.commands)
        redis_times.append(redis_meter.seconds)
        if show_sql and n == len(requests) // 2:
            for q in queries.captured_queries:
                print(f"    {float(q['time']) * 1000:6.2f} ms  {q['sql'][:160]}")
    return {
        "wall": walls,
        "cpu": cpus,
        "sql": sql_counts,
        "sql_time": sql_times,
        "trips": trips,
        "commands": commands,
        "redis_time": redis_times,
        "statuses": statuses,
    }


def summary(name, m):
    def ms(values):
        return statistics.median(values) * 1000

    walls = sorted(m["wall"])
    p90 = walls[int(len(walls) * 0.9)] * 1000
    codes = {code: m["statuses"].count(code) for code in sorted(set(m["statuses"]))}
    print(
        f"{name:8s} wall median {ms(walls):6.2f} ms (p90 {p90:6.2f}), CPU of this process "
        f"{statistics.mean(m['cpu']) * 1000:5.2f} ms   "
        f"SQL {statistics.median(m['sql']):.0f} statements, {ms(m['sql_time']):5.2f} ms   "
        f"Redis {statistics.median(m['trips']):.0f} "
        f"round trips ({statistics.median(m['commands']):.0f} commands), "
        f"{ms(m['redis_time']):5.2f} ms   statuses {codes}"
    )


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pingan-vote-profile-"))
    configure(args, tmp)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from voting import casting, codes
    from voting.models import Voter, VotingRules

    try:
        print(f"[{args.backend}] building the demo database …", flush=True)
        logging.disable(logging.WARNING)  # the production settings log every page published
        call_command("migrate", "--noinput", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        campaign = casting.current_campaign()
        rules = VotingRules.for_campaign(campaign)
        candidates = list(casting.candidates(campaign).values_list("pk", flat=True))
        per_voter = min(rules.per_day, len(candidates))
        voters = (2 * args.votes + 10) // per_voter + 1  # nobody votes twice for one candidate
        tokens = [
            codes.issue_token(Voter.for_phone(f"1741{PHONE_BASE + n:07d}"))[0]
            for n in range(voters)
        ]

        def vote(n):
            voter, candidate = n % len(tokens), candidates[(n // len(tokens)) % per_voter]

            def send(client):
                return client.post(
                    "/api/v1/votes/",
                    f'{{"candidate": {candidate}}}',
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {tokens[voter]}",
                    HTTP_X_REAL_IP=f"10.{(voter // 256) % 256}.{voter % 256}.7",
                    HTTP_USER_AGENT=f"pingan-profile/{voter}",
                )

            return send

        def trivial(client):
            return client.get("/bench/trivial/")

        logging.disable(logging.NOTSET)
        logging.getLogger("django.request").setLevel(logging.ERROR)  # no line per refusal
        client = Client()
        meter = RedisMeter()
        # Warm up: imports, the campaign snapshot, connections, the first quota rows.
        measure(client, [vote(n) for n in range(10)] + [trivial] * 10, meter)
        order = list(range(10, 10 + args.votes))
        votes = measure(client, [vote(n) for n in order], meter, show_sql=args.show_sql)
        plain = measure(client, [trivial] * args.votes, meter)
        summary("vote", votes)
        summary("trivial", plain)
        ratio = statistics.median(plain["wall"]) / statistics.median(votes["wall"])
        cpu_ratio = statistics.mean(plain["cpu"]) / statistics.mean(votes["cpu"])
        print(
            f"in-process ratio trivial/vote: wall {ratio:.2f}, CPU of this process {cpu_ratio:.2f}"
            " (the database's and Redis's own CPU not counted)"
        )

        profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        later = [vote(n) for n in range(10 + args.votes, 10 + 2 * args.votes)]
        profiler.enable()
        for send in later:
            send(client)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    finally:
        from django.db import connections

        connections.close_all()
        if args.backend == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
