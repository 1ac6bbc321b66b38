"""A whole campaign evening, bounded in time, on loopback: does every vote add up?

Usage (from the checkout):
    .venv/bin/python bench/campaign.py [--seconds 30] [--readers 6] [--pollers 4]
                                       [--voters 3] [--registrants 1] [--workers 3]
    .venv/bin/python bench/campaign.py --url http://127.0.0.1:PORT   # a running site
                                                                     # (bench/multi.py)

Without ``--url`` it makes a scratch PostgreSQL database (``pingan_bench_campaign``), uses
Redis database 12 (flushed), builds the demo (voting and registration open today) and starts
gunicorn on 127.0.0.1 with the production settings and throw-away keys. With ``--url`` it
loads that site and reads the environment of its servers (``DATABASE_URL``,
``SMS_FILE_PATH``, the keys) from the process environment, as bench/multi.py passes it.

A bounded Python load generator (one thread per simulated person, each loop ends at the
deadline; the client is kept light so that the two CPUs mostly serve) plays:

- readers: the portal, the candidate list and pages, reports, the leaderboard, the API list;
- pollers: a phone on the live coverage, polling updates.json with ``If-None-Match``;
- voters: a new 1741-block number each, a code read from the ``file`` SMS backend, a
  session, then votes for more candidates than the daily limit allows (the extra ones must
  be refused with 409);
- registrants: the registration form (CSRF token from the page, honeypot left empty, valid
  data), as a phone posts it.

Each simulated person sends its own address in ``X-Real-IP`` (from 198.18.0.0/15, the range
reserved for benchmarks; only a header, no traffic goes there) and the servers run with
``RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP``, as behind a proxy: every rate limit keeps its
default and applies per simulated client, as on a real evening.

It prints throughput, p50/p99 per request kind and the status counts, then checks: no
answer other than 2xx, 3xx and 4xx (a 5xx or a dropped connection is an error; a POST the
proxy could not deliver is retried once and counted by its final answer), and
rows = accepted votes = tallies (``recount_votes --check``). Exit status 1 otherwise.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _server import (
    HOST,
    bench_env,
    flush_redis,
    free_port,
    manage,
    prepare,
    remove,
    scratch_postgres,
    start_gunicorn,
    stop,
    wait_until_up,
)

FACTS = """
import json
from campaign_pages.models import Community, ResidencePage
from media_reports.models import LiveCoveragePage
from voting import casting
from voting.models import VotingRules
campaign = casting.current_campaign()
community = Community.objects.select_related("street").order_by("pk").first()
rules = VotingRules.for_campaign(campaign)
print(json.dumps({
    "candidates": list(casting.candidates(campaign).values_list("pk", flat=True)),
    "candidate_urls": [p.url for p in ResidencePage.objects.live().filter(
        locale__language_code="zh-hans").order_by("path")],
    "coverage": LiveCoveragePage.objects.get(slug="live", locale__language_code="zh-hans").pk,
    "street": community.street_id, "community": community.pk,
    "per_day": rules.per_day,
}))
"""
TOTALS = """
import json
from django.db.models import Sum
from voting.models import Tally, Vote
print(json.dumps({
    "rows": Vote.objects.count(),
    "valid": Vote.objects.filter(status="valid").count(),
    "tallies": Tally.objects.aggregate(s=Sum("votes"))["s"] or 0,
}))
"""
READER_PAGES = [
    "/2016/", "/2016/candidates/", "/2016/reports/", "/2016/reports/wuma-gate/",
    "/2016/leaderboard/", "/2016/live/", "/", "/en/2016/candidates/",
]  # fmt: skip
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Site:
    """Requests to the site under load, with every answer recorded by kind."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("loopback only: --url must be http://127.0.0.1:PORT")
        self.host, self.port = parts.hostname, parts.port or 80
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.retried = Counter()
        self.cache = defaultdict(Counter)

    def call(self, kind, method, path, headers, body=None, retry_post=True):
        """(status, headers, body); status 0 when the connection failed."""
        for attempt in (1, 2):
            started = time.perf_counter()
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                status, data = response.status, response.read()
                reply = {k.lower(): v for k, v in response.getheaders()}
            except OSError:
                status, data, reply = 0, b"", {}
            finally:
                conn.close()
            elapsed = time.perf_counter() - started
            # A request the proxy could not hand to a server (a server killed under it):
            # once more, as the app does. Votes stay single: the database refuses a second
            # vote for the same candidate on the same day (409 already_voted).
            if attempt == 1 and retry_post and status in (0, 502, 503, 504):
                with self.lock:
                    self.retried[kind] += 1
                continue
            break
        with self.lock:
            self.latency[kind].append(elapsed)
            self.statuses[kind][status] += 1
            if "x-cache" in reply:
                self.cache[kind][reply["x-cache"]] += 1
        return status, reply, data


class SmsInbox:
    """The codes the ``file`` SMS backend wrote, by phone number (new files read once)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.seen = set()
        self.codes = {}
        self.lock = threading.Lock()

    def code_for(self, phone, wait=10.0):
        end = time.monotonic() + wait
        while time.monotonic() < end:
            with self.lock:
                if phone in self.codes:
                    return self.codes.pop(phone)
                for path in sorted(self.folder.glob("*.json")):
                    if path.name not in self.seen:
                        self.seen.add(path.name)
                        message = json.loads(path.read_text(encoding="utf-8"))
                        match = re.search(r"\d{6}", message["text"])
                        if match:
                            self.codes[message["phone"]] = match.group()
                if phone in self.codes:
                    return self.codes.pop(phone)
            time.sleep(0.05)
        return None


class Clients:
    """Distinct client addresses from 198.18.0.0/15 (RFC 2544, benchmarking)."""

    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            self.n += 1
            n = self.n
        return f"198.{18 + (n >> 16) % 2}.{(n >> 8) & 255}.{n & 255 or 1}"


def reader(site, facts, deadline, clients):
    headers = {"X-Real-IP": clients.next(), "User-Agent": "bench-reader"}
    pages = READER_PAGES + facts["candidate_urls"]
    while time.monotonic() < deadline:
        if random.random() < 0.15:
            site.call("api candidates", "GET", "/api/v1/candidates/", headers)
        else:
            site.call("page", "GET", random.choice(pages), headers)
        time.sleep(0.02)


def poller(site, facts, deadline, clients):
    headers = {"X-Real-IP": clients.next(), "User-Agent": "bench-poller"}
    endpoint = f"/live/{facts['coverage']}/updates.json"
    cursor, etag = 0, None
    while time.monotonic() < deadline:
        ask = dict(headers, **({"If-None-Match": etag} if etag else {}))
        status, reply, body = site.call("live poll", "GET", f"{endpoint}?since={cursor}", ask)
        if status == 200:
            cursor = json.loads(body)["cursor"]
            etag = reply.get("etag")
        time.sleep(0.5)


def voter(site, facts, deadline, clients, inbox, phones, accepted):
    while time.monotonic() < deadline:
        phone = phones()
        headers = {
            "X-Real-IP": clients.next(),
            "User-Agent": "bench-voter",
            "Content-Type": "application/json",
        }
        body = json.dumps({"phone": phone})
        status, _, _ = site.call("vote code", "POST", "/api/v1/voter/code/", headers, body)
        if status != 202:
            continue
        code = inbox.code_for(phone)
        if code is None:
            site.statuses["vote code"]["no SMS"] += 1
            continue
        body = json.dumps({"phone": phone, "code": code})
        status, _, data = site.call("vote session", "POST", "/api/v1/voter/session/", headers, body)
        if status != 201:
            continue
        auth = dict(headers, Authorization=f"Bearer {json.loads(data)['token']}")
        for candidate in random.sample(facts["candidates"], facts["per_day"] + 1):
            if time.monotonic() >= deadline:
                break
            body = json.dumps({"candidate": candidate})
            retried_before = site.retried["vote"]
            status, _, data = site.call("vote", "POST", "/api/v1/votes/", auth, body)
            retried = site.retried["vote"] != retried_before
            code = json.loads(data)["error"]["code"] if status == 409 else None
            # A retried vote answered "already voted" was counted by the first attempt.
            if status == 201 or (retried and code == "already_voted"):
                accepted.append(candidate)


def registrant(site, facts, deadline, clients, serial):
    while time.monotonic() < deadline:
        n = serial()
        headers = {"X-Real-IP": clients.next(), "User-Agent": "bench-registrant"}
        status, reply, html = site.call("registration form", "GET", "/2016/register/", headers)
        token = CSRF_INPUT.search(html) if status == 200 else None
        cookie = re.search(r"csrftoken=([^;]+)", reply.get("set-cookie", ""))
        if token is None or cookie is None:
            continue
        data = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "residence_name": f"压测花园{n:05d}", "address": f"压测路{n}号",
            "street": facts["street"], "community": facts["community"],
            "property_company": "压测物业", "year_built": "2008", "households": "600",
            "residents": "1800", "rental_households": "80", "floating_population": "200",
            "floating_registered": "196", "cameras": "120", "access_control": "on",
            "vehicle_barrier": "on", "perimeter_wall": "on", "gates": "2", "guard_room": "on",
            "guards": "12", "patrols_per_day": "6", "duty_24h": "on", "satisfaction_rate": "96",
            "declares_no_serious_crime": "on", "declares_security_in_place": "on",
            "declares_rental_registration": "on", "declares_satisfaction": "on",
            "declares_no_yellow_card": "on", "recommended_by": "owners_committee",
            "recommender_name": f"压测花园{n:05d}业主委员会", "contact_name": "压测人",
            "contact_phone": f"1741{9_000_000 + n:07d}", "description": "门岗24小时值守。",
            "website": "",  # the honeypot: people leave it empty
        }  # fmt: skip
        post = dict(
            headers,
            Cookie=f"csrftoken={cookie.group(1)}",
            **{"Content-Type": "application/x-www-form-urlencoded"},
        )
        site.call("registration post", "POST", "/2016/register/", post, urlencode(data))
        time.sleep(1.0)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0


def run_load(url, env, args):
    """Load the site at ``url``; returns (site, accepted votes, elapsed seconds)."""
    facts = json.loads(manage(env, "shell", "-v0", "-c", FACTS, capture=True).strip())
    site = Site(url)
    inbox = SmsInbox(env["SMS_FILE_PATH"])
    clients = Clients()
    accepted = []
    counter = iter(range(1, 10**6))
    lock = threading.Lock()
    offset = random.randrange(10**5) * 10  # numbers of this run, not of an earlier one

    def phones():
        with lock:
            return f"1741{offset + next(counter):07d}"

    def serial():
        with lock:
            return offset + next(counter)

    # A site that has been up for a while: its pages are in the cache (not counted).
    warm = Site(url)
    for page in READER_PAGES + facts["candidate_urls"]:
        warm.call("warm-up", "GET", page, {})
    deadline = time.monotonic() + args.seconds
    plan = (
        [(reader, (site, facts, deadline, clients))] * args.readers
        + [(poller, (site, facts, deadline, clients))] * args.pollers
        + [(voter, (site, facts, deadline, clients, inbox, phones, accepted))] * args.voters
        + [(registrant, (site, facts, deadline, clients, serial))] * args.registrants
    )
    threads = [threading.Thread(target=fn, args=a, daemon=True) for fn, a in plan]
    print("load started", flush=True)  # bench/multi.py times its kill from this line
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 60)
    return site, accepted, time.monotonic() - started


def report(site, accepted, elapsed, env):
    total = sum(sum(c.values()) for c in site.statuses.values())
    print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.0f} req/s overall")
    print(f"{'kind':<20} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    errors = 0
    for kind in sorted(site.statuses):
        latencies = [t * 1000 for t in site.latency[kind]]
        counts = site.statuses[kind]
        errors += sum(n for s, n in counts.items() if not (isinstance(s, int) and 200 <= s < 500))
        print(
            f"{kind:<20} {len(latencies):>6} {len(latencies) / elapsed:>7.1f} "
            f"{statistics.median(latencies) if latencies else 0:>8.1f} "
            f"{percentile(latencies, 99):>8.1f}  "
            + ", ".join(f"{s}: {n}" for s, n in sorted(counts.items(), key=str))
        )
    for kind, outcomes in site.cache.items():
        print(f"page cache ({kind}): " + ", ".join(f"{k} {n}" for k, n in sorted(outcomes.items())))
    if site.retried:
        print("retried once after the proxy could not deliver: " + dict(site.retried).__repr__())
    totals = json.loads(manage(env, "shell", "-v0", "-c", TOTALS, capture=True).strip())
    new_rows = totals["rows"] - env_int(env, "BENCH_ROWS_BEFORE")
    check = manage_status(env, "recount_votes", "--check")
    print(
        f"\nvotes accepted {len(accepted)}; new vote rows {new_rows} "
        f"(all rows {totals['rows']}, valid {totals['valid']}); tallies {totals['tallies']}; "
        f"recount_votes --check: {'ok' if check == 0 else 'DIFFERS'}"
    )
    ok = (
        errors == 0
        and new_rows == len(accepted)
        and totals["valid"] == totals["tallies"]
        and check == 0
        and len(accepted) > 0
    )
    print(f"errors (not 2xx/3xx/4xx): {errors}\nRESULT: {'PASS' if ok else 'FAIL'}")
    return ok


def env_int(env, name):
    return int(env.get(name, "0"))


def manage_status(env, *command):
    import subprocess

    from _server import PYTHON, ROOT

    return subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    ).returncode


def count_rows(env):
    return json.loads(manage(env, "shell", "-v0", "-c", TOTALS, capture=True).strip())["rows"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running site on loopback (default: start one)")
    parser.add_argument("--seconds", type=int, default=30, help="length of the run (5-300)")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--pollers", type=int, default=4)
    parser.add_argument("--voters", type=int, default=3)
    parser.add_argument("--registrants", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (own server)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args(argv)
    args.seconds = min(max(args.seconds, 5), 300)
    for name in ("readers", "pollers", "voters", "registrants"):
        setattr(args, name, min(max(getattr(args, name), 0), 32))
    return args


def main():
    args = parse_args()
    server = tmp = None
    if args.url:
        env = dict(os.environ)
        for name in ("DATABASE_URL", "SMS_FILE_PATH", "FIELD_ENCRYPTION_KEYS", "VOTER_HASH_KEY"):
            if not env.get(name):
                raise SystemExit(f"--url needs the servers' {name} in the environment")
        url = args.url
    else:
        tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-campaign-"))
        flush_redis(args.redis_url)
        env = bench_env(
            tmp,
            database_url=scratch_postgres("pingan_bench_campaign"),
            redis_url=args.redis_url,
            extra=campaign_settings(tmp),
        )
        prepare(env)
        port = free_port()
        server = start_gunicorn(env, port, workers=args.workers)
        wait_until_up(port)
        url = f"http://{HOST}:{port}"
    env["BENCH_ROWS_BEFORE"] = str(count_rows(env))
    print(
        f"{args.seconds} s against {url}: {args.readers} readers, {args.pollers} pollers, "
        f"{args.voters} voters, {args.registrants} registrants",
        flush=True,
    )
    try:
        site, accepted, elapsed = run_load(url, env, args)
    finally:
        if server is not None:
            stop(server)
    ok = report(site, accepted, elapsed, env)
    if tmp is not None:
        remove(tmp)
    sys.exit(0 if ok else 1)


def campaign_settings(tmp):
    """What the campaign run changes in the servers' environment (documented above)."""
    return {
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(tmp / "sms"),
        "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
    }


if __name__ == "__main__":
    main()
