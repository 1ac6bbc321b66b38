"""Votes under load: throughput, latency and exact counts, on PostgreSQL and on SQLite.

Usage (from the checkout):  .venv/bin/python bench/votes.py [--backend both|postgres|sqlite]
        [--voters 400] [--max-seconds 30] [--trivial-seconds 5] [--connections 8]
        [--threads 1] [--workers 2×cores+1] [--redis redis://127.0.0.1:6379/12]
        [--agents N] [--endpoint api|floor|floor-database|floor-redis]

For each backend it makes a scratch database (PostgreSQL: ``pingan_bench_votes`` on
127.0.0.1:5432 as user ``postgres``, dropped at the end; SQLite: a temporary file), flushes
its own Redis database (db 12 by default), builds the demo, makes ``--voters`` voters and
their Bearer tokens through the ORM (with the server's own throw-away keys), starts gunicorn
on 127.0.0.1 with the production settings and ``BENCH_VIEWS=1``, and drives it with ``wrk``
from a second process (``apt-get install wrk``), 8 connections by default:

1. trivial: ``GET /bench/trivial/`` for ``--trivial-seconds`` (routing + middleware only);
2. votes: ``POST /api/v1/votes/`` — every voter votes for as many candidates as a day allows
   (5 under the default rules), voters interleaved so one voter's votes do not queue on each
   other. The load is bounded by count (voters × votes per day) and by time
   (``--max-seconds``); each voter sends its own client address in ``X-Real-IP`` (the
   server trusts it, as behind the production proxy) so the per-address limits apply as
   they would to real phones, and its own user agent (``--agents N``: N agents shared
   round-robin; ``--agents 1`` is every vote from one app version, as the 我们 app sends);
3. trivial again; the yardstick is the mean of both trivial rounds.

It prints votes/s, p50/p99 latency, the ratio votes/s ÷ trivial req/s, the responses by
status, the CPU each round cost per request by process (app server, database, Redis, load
client, the rest of the machine: ``bench/_cpu.py``), and then checks that vote rows =
accepted (201) responses = tallies (``recount_votes --check``). It exits 1 when they
differ, when any 5xx or socket error occurred, or when the time bound cut the
count-bounded load short. Loopback only.

``--endpoint floor`` answers the votes with bench/floor/views.py instead of the API: the
same rate-limit command and vote transaction with nothing else around them (no DRF, no
input checks), to measure the floor under any vote written in Django on this machine;
``floor-database`` leaves out the rate limits, ``floor-redis`` the database (it writes
nothing, so the counts are checked to be zero). The site itself never routes these.
"""

import argparse
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _cpu import CpuMeter

ROOT = Path(__file__).resolve().parents[1]
# --endpoint: which view answers POST /api/v1/votes/ (bench/floor/views.py's BENCH_FLOOR)
ENDPOINTS = {"api": None, "floor": "both", "floor-database": "database", "floor-redis": "redis"}
PYTHON = sys.executable
HOST = "127.0.0.1"
PG_DATABASE = "pingan_bench_votes"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PHONE_BASE = 9_000_000  # bench voters are 1741 9000000 …: the 1741 block is never issued

PREPARE = """
import json
from voting import casting, codes
from voting.models import Vote, Voter, VotingRules

campaign = casting.current_campaign()
rules = VotingRules.for_campaign(campaign)
candidates = list(casting.candidates(campaign).values_list("pk", flat=True))
per_voter = min(rules.per_day, len(candidates))  # one vote per candidate, a full day's votes
tokens = []
for n in range({voters}):
    voter = Voter.for_phone(f"1741{{{base} + n:07d}}")
    tokens.append(codes.issue_token(voter)[0])
print(json.dumps({{"candidates": candidates[:per_voter], "tokens": tokens,
                  "rows_before": Vote.objects.count()}}))
"""

CHECK = """
import json
from django.db.models import Count
from voting.models import Vote, VoterDay
from voting.models.voters import keyed_hash

hashes = [keyed_hash(f"1741{{{base} + n:07d}}") for n in range({voters})]
votes = Vote.objects.filter(voter__phone_hash__in=hashes)
duplicates = (
    votes.values("voter_id", "candidate_id", "day").annotate(n=Count("pk")).filter(n__gt=1).count()
)
quota = sum(VoterDay.objects.filter(voter__phone_hash__in=hashes).values_list("used", flat=True))
print(json.dumps({{"rows": votes.count(), "all_rows": Vote.objects.count(),
                  "duplicates": duplicates, "quota_used": quota,
                  "flagged": votes.filter(flagged=True).count()}}))
"""

TRIVIAL_LUA = """
function done(summary, latency, requests)
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, '
    .. '"non_2xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status))
end
"""

VOTE_LUA = """
-- Generated by bench/votes.py: each thread takes every nth voter and casts, round by round,
-- one vote per voter for candidate 1, then 2, …; once its quota is sent it only asks for the
-- trivial view (so nothing counted is in flight when it stops).
-- wrk reports the whole -d as the duration and drops each thread's first request(): the
-- votes' own duration is measured here (monotonic clock, through LuaJIT's FFI) and the first
-- request is a trivial one.
local ffi = require("ffi")
ffi.cdef[[
typedef struct {{ long tv_sec; long tv_nsec; }} pingan_timespec;
int clock_gettime(int clk_id, pingan_timespec *tp);
]]
local clock = ffi.new("pingan_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local tokens = {tokens}
local addresses = {addresses}
local candidates = {candidates}
local agents = {agents}  -- distinct user agents among the voters (--agents)
local threads = {{}}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(args[1])
  marker_path = args[2]
  mine = {{}}
  for i = tid, #tokens, nthreads do table.insert(mine, i) end
  quota = #mine * #candidates
  issued, received, warm = 0, 0, true
  s201, s409, s429, s4xx, s5xx = 0, 0, 0, 0, 0
  started_us, finished_us = 0, 0
  trivial = wrk.format("GET", "/bench/trivial/")
  -- Every vote request is formatted here, before the clock starts: during the load the
  -- client only hands out strings, as for the trivial view.
  votes = {{}}
  for k = 0, quota - 1 do
    local v = mine[(k % #mine) + 1]
    local candidate = candidates[math.floor(k / #mine) + 1]
    votes[k + 1] = wrk.format("POST", "/api/v1/votes/", {{
      ["Authorization"] = "Bearer " .. tokens[v],
      ["Content-Type"] = "application/json",
      ["X-Real-IP"] = addresses[v],
      ["User-Agent"] = "pingan-bench/" .. ((v - 1) % agents),
    }}, '{{"candidate": ' .. candidate .. '}}')
  end
  if quota == 0 then wrk.thread:stop() end
end

function request()
  if warm then warm = false; return trivial end
  if issued >= quota then return trivial end
  if issued == 0 then started_us = now_us() end
  issued = issued + 1
  return votes[issued]
end

function response(status, headers, body)
  if status == 200 then return end  -- the trivial filler after the quota
  received = received + 1
  if status == 201 then s201 = s201 + 1
  elseif status == 409 then s409 = s409 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else s4xx = s4xx + 1 end
  if received >= quota then
    finished_us = now_us()
    wrk.thread:stop()
    -- Tell bench/votes.py, which then interrupts wrk: otherwise wrk would idle until -d with
    -- connections open but never written, each holding a sync gunicorn worker.
    local marker = io.open(marker_path .. "." .. tid, "w")
    marker:write("done")
    marker:close()
  end
end

function done(summary, latency, requests)
  local t = {{issued = 0, received = 0, s201 = 0, s409 = 0, s429 = 0, s4xx = 0, s5xx = 0}}
  local first, last = math.huge, 0
  for _, thread in ipairs(threads) do
    for key, _ in pairs(t) do t[key] = t[key] + thread:get(key) end
    first = math.min(first, thread:get("started_us"))
    last = math.max(last, thread:get("finished_us"))
  end
  if last == 0 then  -- cut short by the time bound (reported as a failure)
    last = first + summary.duration
  end
  io.write(string.format(
    'BENCH {{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, '
    .. '"issued": %d, "received": %d, "s201": %d, "s409": %d, "s429": %d, "s4xx": %d, '
    .. '"s5xx": %d}}\\n',
    summary.requests, last - first, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    t.issued, t.received, t.s201, t.s409, t.s429, t.s4xx, t.s5xx))
end
"""


def lua_list(values):
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


def address_of(n):
    """Voter n's client address: its own /24, so the per-block limit is one phone's."""
    return f"10.{(n // 256) % 256}.{n % 256}.7"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(port, server, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            if get(port, "/bench/trivial/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=False,
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode and args[0] != "recount_votes":
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {args[0]} failed")
    return result if capture else None


def shell_json(env, code):
    output = manage(env, "shell", "-v0", "-c", code, capture=True).stdout
    line = [x for x in output.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def run_wrk(args, port, path, script, seconds, extra=(), markers=None):
    """Run wrk for at most ``seconds``; with ``markers`` (path prefix), interrupt it as soon as
    every thread has written its marker (all its votes answered). Returns done()'s figures."""
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{int(seconds)}s",
        "--timeout", "10s", "-s", str(script), f"http://{HOST}:{port}{path}", "--", *extra,
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    if markers is not None:
        wanted = [Path(f"{markers}.{n}") for n in range(1, args.threads + 1)]
        while process.poll() is None and not all(p.exists() for p in wanted):
            time.sleep(0.05)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # wrk stops and prints its summary and done()
    output, _errors = process.communicate(timeout=seconds + 30)
    if process.returncode not in (0, -signal.SIGINT):
        raise SystemExit(f"wrk failed ({process.returncode})")
    line = [x for x in output.splitlines() if x.startswith("BENCH ")][-1]
    return json.loads(line.removeprefix("BENCH "))


class Postgres:
    name = "postgresql"

    def __init__(self, database=PG_DATABASE):
        self.database = database

    def __enter__(self):
        import psycopg

        self.psycopg = psycopg
        self.admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        self.admin(f"CREATE DATABASE {self.database}")
        return f"postgres://postgres@127.0.0.1:5432/{self.database}"

    def admin(self, sql):
        with self.psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql)

    def __exit__(self, *exc):
        self.admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")


class Sqlite:
    name = "sqlite"

    def __init__(self, tmp):
        self.path = tmp / "bench-votes.db"

    def __enter__(self):
        return f"sqlite:///{self.path}"

    def __exit__(self, *exc):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def bench_backend(args, backend, tmp):
    """Run the three rounds on one backend; return (figures, list of failed checks)."""
    with backend as database_url:
        flush_redis(args.redis)
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": database_url,
                "REDIS_URL": args.redis,
                "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
                "MEDIA_ROOT": str(tmp / "media"),
                "BENCH_VIEWS": "1",
            }
        )
        print(f"[{backend.name}] building the demo database …", flush=True)
        setup_env = {**env, "DJANGO_SETTINGS_MODULE": "pingan.settings.dev"}
        manage(setup_env, "migrate", "--noinput", "-v0")
        manage(setup_env, "load_demo")
        server_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "pingan.settings.production",
            "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": HOST,
            # Throw-away keys: the production settings require them; no real data is read.
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "VOTER_HASH_KEY": os.urandom(16).hex(),
            "SECURE_SSL_REDIRECT": "false",
            # As behind the production proxy: the client address comes from X-Real-IP.
            "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
        }
        params = {"voters": args.voters, "base": PHONE_BASE}
        prepared = shell_json(server_env, PREPARE.format(**params))
        candidates, tokens = prepared["candidates"], prepared["tokens"]
        script = tmp / "votes.lua"
        script.write_text(
            VOTE_LUA.format(
                tokens=lua_list(tokens),
                addresses=lua_list([address_of(n) for n in range(len(tokens))]),
                candidates=lua_list(candidates),
                agents=min(args.agents or len(tokens), len(tokens)),
            )
        )
        trivial_script = tmp / "trivial.lua"
        trivial_script.write_text(TRIVIAL_LUA)

        port = free_port()
        gunicorn = Path(PYTHON).with_name("gunicorn")
        floor = ENDPOINTS[args.endpoint]
        gunicorn_env = server_env if floor is None else {
            **server_env,
            "DJANGO_SETTINGS_MODULE": "floor.settings",
            "PYTHONPATH": f"{env['PYTHONPATH']}{os.pathsep}{ROOT / 'bench'}",
            "BENCH_FLOOR": floor,
        }  # fmt: skip
        server = subprocess.Popen(
            [str(gunicorn), "--bind", f"{HOST}:{port}", "--workers", str(args.workers),
             "--log-level", "warning", "pingan.wsgi"],
            cwd=ROOT, env=gunicorn_env, start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_up(port, server)
            for _ in range(args.workers * 10):  # every worker loads the vote path's code
                get(port, "/api/v1/candidates/")
            print(
                f"[{backend.name}] gunicorn {args.workers} workers on {HOST}:{port}; wrk "
                f"{args.threads} threads, {args.connections} connections; {len(tokens)} voters "
                f"× {len(candidates)} votes; cache: redis; votes answered by: {args.endpoint}",
                flush=True,
            )
            load_before = os.getloadavg()[0]  # the machine is shared: say how busy it was
            with CpuMeter(server.pid) as first_cpu:
                first = run_wrk(args, port, "/bench/trivial/", trivial_script, args.trivial_seconds)
            markers = tmp / f"votes-{backend.name}.done"
            with CpuMeter(server.pid) as votes_cpu:
                votes = run_wrk(
                    args,
                    port,
                    "/api/v1/votes/",
                    script,
                    args.max_seconds,
                    [str(args.threads), str(markers)],
                    markers=markers,
                )
            with CpuMeter(server.pid) as second_cpu:
                second = run_wrk(
                    args, port, "/bench/trivial/", trivial_script, args.trivial_seconds
                )
            load_after = os.getloadavg()[0]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        checked = shell_json(server_env, CHECK.format(**params))
        recount = manage(server_env, "recount_votes", "--check", capture=True)
        flush_redis(args.redis)

    trivial_rates = [r["requests"] / (r["duration_us"] / 1e6) for r in (first, second)]
    trivial_rate = sum(trivial_rates) / 2
    vote_rate = votes["received"] / (votes["duration_us"] / 1e6)
    figures = {
        "backend": backend.name,
        "trivial_rates": trivial_rates,
        "trivial_p99_ms": max(first["p99_us"], second["p99_us"]) / 1000,
        "vote_rate": vote_rate,
        "ratio": vote_rate / trivial_rate,
        "p50_ms": votes["p50_us"] / 1000,
        "p99_ms": votes["p99_us"] / 1000,
        "votes": votes,
        "checked": checked,
        "recount_ok": recount.returncode == 0,
        "load": (load_before, load_after),
        "cpu": {
            "trivial": (first_cpu.use, first["requests"]),
            "vote": (votes_cpu.use, votes["requests"]),
            "trivial again": (second_cpu.use, second["requests"]),
        },
    }
    failures = []
    expected = len(tokens) * len(candidates)
    if votes["issued"] != expected or votes["received"] != expected:
        failures.append(
            f"the time bound cut the load short: {votes['received']} of {expected} answered"
        )
    if votes["s5xx"] or votes["errors"] or first["errors"] or second["errors"]:
        failures.append(f"{votes['s5xx']} 5xx, {votes['errors']} socket errors")
    in_flight = votes["issued"] - votes["received"]  # sent, unanswered when time ran out
    if args.endpoint == "floor-redis":  # answers 201 and writes nothing, by design
        if checked["all_rows"] != prepared["rows_before"] or checked["quota_used"]:
            failures.append("floor-redis wrote votes: it must write nothing")
    elif checked["rows"] != checked["quota_used"] or not (
        votes["s201"] <= checked["rows"] <= votes["s201"] + in_flight
    ):
        failures.append(
            f"rows {checked['rows']} / accepted {votes['s201']} / quota {checked['quota_used']}"
            f" ({in_flight} unanswered when the time bound stopped the load)"
        )
    elif checked["rows"] != votes["s201"]:
        failures.append(
            f"rows {checked['rows']} = accepted {votes['s201']} + {checked['rows'] - votes['s201']}"
            f" of the {in_flight} votes still unanswered when the time bound stopped the load"
        )
    if checked["rows"] + prepared["rows_before"] != checked["all_rows"]:
        failures.append("rows appeared that no bench voter cast")
    if checked["duplicates"]:
        failures.append(f"{checked['duplicates']} duplicated votes")
    if not figures["recount_ok"]:
        failures.append("recount_votes --check found a difference: " + recount.stdout.strip())
    return figures, failures


def report(figures, failures):
    v = figures["votes"]
    print(
        f"[{figures['backend']}] trivial {figures['trivial_rates'][0]:.0f} / "
        f"{figures['trivial_rates'][1]:.0f} req/s   votes {figures['vote_rate']:.0f} votes/s   "
        f"ratio {figures['ratio']:.2f} (target >= 0.40)\n"
        f"[{figures['backend']}] vote latency p50 {figures['p50_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms (target < 50 ms), over {v['requests']} responses of "
        f"which {v['requests'] - v['received']} trivial (warm-up and fillers); trivial p99 "
        f"{figures['trivial_p99_ms']:.1f} ms\n"
        f"[{figures['backend']}] load average (1 min) {figures['load'][0]:.1f} before the "
        f"first trivial round, {figures['load'][1]:.1f} after the last\n"
        f"[{figures['backend']}] responses: {v['s201']} × 201, {v['s409']} × 409, "
        f"{v['s429']} × 429, {v['s4xx']} other 4xx, {v['s5xx']} × 5xx, {v['errors']} socket "
        f"errors; rows {figures['checked']['rows']}, quota used "
        f"{figures['checked']['quota_used']}, duplicates {figures['checked']['duplicates']}, "
        f"flagged {figures['checked']['flagged']}; recount_votes --check: "
        f"{'ok' if figures['recount_ok'] else 'DIFFERENCE'}"
    )
    for kind, (use, requests) in figures["cpu"].items():
        print(f"[{figures['backend']}] CPU, {kind} round: {use.describe(requests)}")
    for failure in failures:
        print(f"[{figures['backend']}] FAILED: {failure}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument("--voters", type=int, default=400, help="each casts a day's votes")
    parser.add_argument("--max-seconds", type=float, default=30, help="time bound of the votes")
    parser.add_argument("--trivial-seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    # One wrk thread: when it has its answers it stops and wrk exits, closing every
    # connection. With several, a thread that stops first can leave a connection opened but
    # never written, which holds a sync gunicorn worker until its timeout (30 s).
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    # 2 × cores + 1, as docs/deployment.md advises: sync workers wait for the database's
    # commits, so more workers than cores keep the CPUs busy.
    default_workers = 2 * (os.cpu_count() or 1) + 1
    parser.add_argument("--workers", type=int, default=default_workers, help="gunicorn workers")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12", help="flushed!")
    parser.add_argument(
        "--database", default=PG_DATABASE, help="scratch PostgreSQL database (dropped!)"
    )
    parser.add_argument(
        "--agents",
        type=int,
        default=0,
        help="distinct user agents among the voters (1: every vote from one app; 0: one each)",
    )
    parser.add_argument(
        "--endpoint",
        choices=list(ENDPOINTS),
        default="api",
        help="what answers the votes: the API, or bench/floor/views.py (docs/performance.md)",
    )
    args = parser.parse_args()
    if not args.database.replace("_", "").isalnum() or args.database in ("postgres", "test"):
        raise SystemExit("--database: a scratch name of letters, digits and underscores")
    args.voters = min(max(args.voters, 1), 5000)
    args.agents = max(args.agents, 0)
    args.max_seconds = min(max(args.max_seconds, 2), 300)
    args.trivial_seconds = min(max(args.trivial_seconds, 1), 30)
    args.connections = min(max(args.connections, 1), 64)
    args.threads = min(max(args.threads, 1), args.connections)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if not args.redis.startswith("redis://127.0.0.1:"):
        raise SystemExit("--redis must be a loopback Redis (its database is flushed)")

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-votes-"))
    failed = False
    try:
        postgres = Postgres(args.database)
        backends = {"postgres": [postgres], "sqlite": [Sqlite(tmp)]}.get(
            args.backend, [postgres, Sqlite(tmp)]
        )
        for backend in backends:
            figures, failures = bench_backend(args, backend, tmp)
            report(figures, failures)
            failed = failed or bool(failures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
