"""Fault drills: break one component under a running site and check nothing is lost.

Usage (from the checkout, as root for the full-disk drill):
    .venv/bin/python bench/drills.py [--only NAME ...] [--admin-url postgres://postgres@127.0.0.1:5432/postgres]

Each drill starts gunicorn (loopback only, production settings, throw-away keys) against a
scratch PostgreSQL database made for this run (``pingan_drill_<pid>`` on the server of
``--admin-url``; dropped at the end) and breaks something while requests are in flight. It
prints PASS or FAIL with the figures, SKIP when the machine cannot run it, and the script
exits 1 when any drill fails. Only what the script started is stopped or killed: its own
redis-server, its own gunicorn workers and its own database backends (``pg_terminate_backend``
of connections to the scratch database only); the shared PostgreSQL server keeps running.

Drills:
  redis         a dedicated redis-server is SIGKILLed in the middle of a vote burst: every
                vote is answered (no 5xx), rows = accepted votes = tallies (recount_votes
                --check), pages still render, /healthz says the cache is down, then up again
                once Redis is back.
  worker        a gunicorn worker is SIGKILLed in the middle of a vote burst: every 201 is a
                row, no duplicates, rows = tallies after recount_votes.
  database      the app's backend is terminated in the middle of a registration (after the
                registration row is written, before its history row): 503 with Retry-After,
                the registration rolled back, the next request reconnects and the same post
                goes through once.
  unreachable   the database is unreachable: pages and the API answer 503 with Retry-After
                (not 500), /healthz 503 with the database down.
  disk-full     MEDIA_ROOT is a tiny tmpfs filled to the last byte (root; otherwise a
                read-only folder): a registration with a photo gets a 503 with the Chinese
                message and leaves no row; once space is freed the same post is saved with
                its photo on disk.
  tasks         the task queue (django-tasks-db): /healthz reports the oldest waiting
                task's age, answers 503 when it waited past TASKS_MAX_QUEUE_SECONDS (no
                worker), and 200 again after `manage.py db_worker --batch` ran it.

The SQLite lock time-out is a test (tests/registrations/test_outages.py), not a drill.
"""

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOST = "127.0.0.1"
DRILLS = ["redis", "worker", "database", "unreachable", "disk-full", "tasks"]
RESULTS = []


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port, deadline=30):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def fetch(port, method, path, body=None, headers=None, timeout=30):
    """(status, headers, body bytes); raises OSError when the connection breaks."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def api(port, path, data, token=None, retries=20):
    """POST JSON like the app: a 503 is retried as its Retry-After says (bounded)."""
    headers = {"Content-Type": "application/json", "Accept-Language": "zh-hans"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    for _ in range(retries):
        status, response_headers, body = fetch(
            port, "POST", f"/api/v1/{path}", json.dumps(data), headers
        )
        if status != 503:
            return status, json.loads(body or b"{}")
        time.sleep(min(float(response_headers.get("retry-after", "1")), 1.0))
    return status, json.loads(body or b"{}")


class Drill:
    """One drill's outcome: checks with their figures; PASS only when every check holds."""

    def __init__(self, name):
        self.name = name
        self.checks = []

    def check(self, ok, text):
        self.checks.append((bool(ok), text))
        print(f"   {'ok ' if ok else 'BAD'} {text}", flush=True)
        return ok


class Site:
    """The scratch database, the environment and the gunicorn servers of this run."""

    def __init__(self, admin_url):
        self.tmp = Path(tempfile.mkdtemp(prefix="pingan-drills-"))
        self.admin_url = admin_url
        self.db_name = f"pingan_drill_{os.getpid()}"
        parts = urllib.parse.urlsplit(admin_url)
        self.database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.db_name}"))
        self.sms = self.tmp / "sms"
        self.media = self.tmp / "media"
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
            "DJANGO_SETTINGS_MODULE": "pingan.settings.production",
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media),
            "PRIVATE_MEDIA_ROOT": str(self.tmp / "private-media"),
            "SECRET_KEY": "drill-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": HOST,
            # Throw-away keys for the scratch data (demo numbers of the 1741 block).
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "VOTER_HASH_KEY": os.urandom(16).hex(),
            "SECURE_SSL_REDIRECT": "false",
            "SMS_BACKEND": "file",
            "SMS_FILE_PATH": str(self.sms),
            "TASKS_BACKEND": "database",
            "VOTE_CODES_PER_NUMBER": "1000/h",
            "VOTE_CODES_PER_CLIENT": "100000/h",
            "VOTE_SESSIONS_PER_CLIENT": "100000/h",
            "VOTE_RATE_VOTER": "1000/m",
            "VOTE_RATE_CLIENT": "100000/m",
            "VOTE_RATE_BLOCK": "100000/m",
        }
        self.env.pop("REDIS_URL", None)
        self.servers = []
        self.phones = iter(range(5_000_000, 6_000_000))

    # -- the scratch database -----------------------------------------------------------------

    def admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def create(self):
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        print(f"Scratch database {self.db_name}: migrate and load_demo …", flush=True)
        dev = {**self.env, "DJANGO_SETTINGS_MODULE": "pingan.settings.dev"}  # quieter logs
        for command, env in (
            (["migrate", "--noinput", "-v0"], dev),
            (["load_demo"], dev),
            (["collectstatic", "--noinput", "-v0"], self.env),  # the manifest production needs
        ):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        os.environ.update(self.env)
        sys.path[:0] = [str(ROOT), str(ROOT / "site")]
        import django

        django.setup()

    def drop(self):
        from django.db import connections

        connections.close_all()
        with self.admin() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                [self.db_name],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}"')

    def drop_quietly(self):
        """After a failed set-up: drop the scratch database if it was made."""
        try:
            with self.admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}"')
        except Exception:  # noqa: BLE001 - nothing more to clean
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def backends(self, waiting_on_lock=False):
        """The pids of this run's app connections (the scratch database's only)."""
        query = (
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            + (" AND wait_event_type = 'Lock'" if waiting_on_lock else "")
        )
        with self.admin() as conn:
            return [row[0] for row in conn.execute(query, [self.db_name]).fetchall()]

    # -- servers --------------------------------------------------------------------------------

    def gunicorn(self, workers=2, **env):
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "pingan.wsgi",
            ],
            cwd=ROOT,
            env={**self.env, **env},
            start_new_session=True,
            stderr=open(self.tmp / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
        )
        self.servers.append(server)
        wait_for_port(port)
        end = time.monotonic() + 60
        while time.monotonic() < end:  # until a worker answers
            try:
                fetch(port, "GET", "/robots.txt")
                break
            except OSError:
                time.sleep(0.2)
        return server, port

    def stop(self, server):
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        self.servers.remove(server)

    def stop_all(self):
        for server in list(self.servers):
            self.stop(server)

    # -- voters and votes -----------------------------------------------------------------------

    def new_phone(self):
        return f"1741{next(self.phones):07d}"

    def read_code(self, phone):
        for path in sorted(self.sms.glob("*.json"), reverse=True):
            message = json.loads(path.read_text(encoding="utf-8"))
            if message["phone"] == phone:
                return re.search(r"\d{6}", message["text"]).group()
        raise RuntimeError(f"no SMS to {phone}")

    def login(self, port):
        phone = self.new_phone()
        status, _body = api(port, "voter/code/", {"phone": phone})
        assert status == 202, status
        status, body = api(port, "voter/session/", {"phone": phone, "code": self.read_code(phone)})
        assert status == 201, (status, body)
        return phone, body["token"]

    def candidate_ids(self):
        from voting import casting

        return list(casting.candidates(casting.current_campaign()).values_list("pk", flat=True))

    def votes_of(self, phones):
        """{(phone, candidate id)} of the vote rows of these voters, and the number of rows."""
        from voting.models import Vote

        rows = Vote.objects.filter(voter__phone_hash__in=[voter_hash(p) for p in phones])
        pairs = [(vote.voter.phone, vote.candidate_id) for vote in rows.select_related("voter")]
        return set(pairs), len(pairs)


def voter_hash(phone):
    from voting.models.voters import keyed_hash

    return keyed_hash(phone)


def recount(check_only):
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        try:
            call_command("recount_votes", *(["--check"] if check_only else []), stdout=devnull)
        except SystemExit as exit_:
            return exit_.code or 0
    return 0


def tallies_match_rows():
    from django.db.models import Count

    from voting.models import Tally, Vote

    rows = dict(
        Vote.objects.filter(status="valid")
        .values("candidate_id")
        .annotate(n=Count("pk"))
        .values_list("candidate_id", "n")
    )
    tallies = {c: v for c, v in Tally.objects.values_list("candidate_id", "votes") if v}
    return rows == tallies


def vote_burst(site, port, voters, candidates, during=None, threads=16):
    """Each voter votes for each candidate once (as many as their daily limit allows).

    ``during`` runs in the middle of the burst (after a third of the votes were sent).
    Returns {"accepted": {(phone, candidate)}, "refused": n, "errors": [...], "lost": n}.
    """
    jobs = [(phone, token, c) for phone, token in voters for c in candidates]
    outcome = {"accepted": set(), "refused": 0, "refusals": [], "errors": [], "lost": 0}
    lock = threading.Lock()
    sent = [0]
    trigger = len(jobs) // 3
    fired = threading.Event()

    def one(job):
        phone, token, candidate = job
        with lock:
            sent[0] += 1
            fire = sent[0] == trigger and during is not None
        if fire:
            during()
            fired.set()
        try:
            status, body = api(port, "votes/", {"candidate": candidate}, token)
        except OSError:  # the connection broke: the outcome is unknown to the client
            with lock:
                outcome["lost"] += 1
            return
        with lock:
            if status == 201:
                outcome["accepted"].add((phone, candidate))
            elif 400 <= status < 500:
                outcome["refused"] += 1
                outcome["refusals"].append((status, body.get("error", {}).get("code")))
            else:
                outcome["errors"].append((status, body))

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, jobs))
    outcome["fired"] = fired.is_set() or during is None
    return outcome


# -- the drills --------------------------------------------------------------------------------


def drill_redis(site, drill):
    if not shutil.which("redis-server"):
        return "SKIP: redis-server is not installed"
    redis_port = free_port()

    def start_redis():
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(redis_port)
        return process

    redis = start_redis()
    server, port = site.gunicorn(workers=2, REDIS_URL=f"redis://{HOST}:{redis_port}/0")
    try:
        drill.check(
            json.loads(fetch(port, "GET", "/healthz")[2])["checks"]["cache"] == "ok",
            "before: /healthz reports the Redis cache ok",
        )
        voters = [site.login(port) for _ in range(24)]
        candidates = site.candidate_ids()[:5]
        down_state = {}

        def kill_redis():
            redis.kill()
            redis.wait()

        outcome = vote_burst(site, port, voters, candidates, during=kill_redis)
        status, _h, body = fetch(port, "GET", "/healthz")
        down_state["healthz"] = (status, json.loads(body)["checks"]["cache"])
        down_state["page"] = fetch(port, "GET", "/2016/candidates/")[0]
        # A new voter signs in and votes while Redis is still down.
        phone, token = site.login(port)
        down_state["new_voter"] = api(port, "votes/", {"candidate": candidates[0]}, token)[0]
        if down_state["new_voter"] == 201:
            outcome["accepted"].add((phone, candidates[0]))
        voters.append((phone, token))
        redis = start_redis()
        time.sleep(1)
        back = json.loads(fetch(port, "GET", "/healthz")[2])["checks"]["cache"]
    finally:
        site.stop(server)
        if redis.poll() is None:
            redis.kill()
            redis.wait()
    rows, n_rows = site.votes_of([p for p, _t in voters])
    drill.check(outcome["fired"], "redis-server was killed during the burst")
    drill.check(
        not outcome["errors"] and not outcome["lost"],
        f"no 5xx and no broken connection ({len(outcome['accepted'])} accepted, "
        f"{outcome['refused']} refused {outcome['refusals'][:3]}, errors {outcome['errors'][:3]})",
    )
    drill.check(
        len(outcome["accepted"]) == len(voters[:-1]) * len(candidates) + 1,
        "every vote of the burst was accepted (limits fail open, rules hold)",
    )
    drill.check(
        rows == outcome["accepted"] and n_rows == len(rows),
        f"rows = accepted votes ({n_rows} rows, {len(outcome['accepted'])} accepted)",
    )
    drill.check(
        recount(check_only=True) == 0 and tallies_match_rows(),
        "tallies = rows (recount_votes --check)",
    )
    drill.check(
        down_state["healthz"] == (503, "down"), f"Redis down: /healthz {down_state['healthz']}"
    )
    drill.check(
        down_state["page"] == 200, f"Redis down: the candidate list answers {down_state['page']}"
    )
    drill.check(down_state["new_voter"] == 201, "Redis down: a new voter signs in and votes (201)")
    drill.check(back == "ok", f"Redis back: /healthz cache {back}")


def worker_pids(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def drill_worker(site, drill):
    server, port = site.gunicorn(workers=3)
    killed = []
    in_flight = []
    try:
        voters = [site.login(port) for _ in range(30)]
        candidates = site.candidate_ids()[:5]

        def kill_a_worker_mid_vote():
            import psycopg

            # Hold the tallies for a moment: every worker is then inside a vote's transaction
            # (its vote row written, the tally update waiting), so the one killed certainly
            # dies in the middle of a vote.
            with psycopg.connect(site.database_url) as locker:
                locker.execute("LOCK TABLE voting_tally IN ACCESS EXCLUSIVE MODE")
                end = time.monotonic() + 20
                while len(site.backends(waiting_on_lock=True)) < 3 and time.monotonic() < end:
                    time.sleep(0.05)
                in_flight.append(len(site.backends(waiting_on_lock=True)))
                pids = worker_pids(server)
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
                time.sleep(0.5)
                locker.rollback()

        outcome = vote_burst(
            site, port, voters, candidates, during=kill_a_worker_mid_vote, threads=24
        )
        time.sleep(2)
        replaced = len(worker_pids(server)) == 3
    finally:
        site.stop(server)
    rows, n_rows = site.votes_of([p for p, _t in voters])
    before = recount(check_only=True)
    repaired = recount(check_only=False)
    drill.check(
        killed, f"worker {killed} was SIGKILLed during the burst; gunicorn replaced it: {replaced}"
    )
    drill.check(
        in_flight and in_flight[0] >= 1 and outcome["lost"] >= 1,
        f"it died in the middle of a vote ({in_flight} votes waiting in transactions; "
        f"{outcome['lost']} client connections broke)",
    )
    drill.check(not outcome["errors"], f"no 5xx answer ({outcome['errors'][:3]})")
    drill.check(
        outcome["accepted"] <= rows,
        f"every 201 is a row ({len(outcome['accepted'])} accepted ⊆ {n_rows} rows; "
        f"{outcome['lost']} requests lost with the worker)",
    )
    drill.check(n_rows == len(rows), "no duplicate vote rows")
    drill.check(
        n_rows - len(outcome["accepted"]) <= outcome["lost"],
        "rows beyond the 201s are only votes committed as their worker died",
    )
    drill.check(
        before == 0 and repaired == 0 and tallies_match_rows(),
        f"rows = tallies after recount_votes (--check before: exit {before})",
    )


def registration_form(site, port, name, phone):
    """The form's fields as a phone posts them, with the CSRF cookie and token."""
    from campaign_pages.models import Community

    status, headers, body = fetch(port, "GET", "/2016/register/")
    assert status == 200, status
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", "")).group(1)
    community = Community.objects.select_related("street").get(name="松台二社区")
    fields = {
        "csrfmiddlewaretoken": token, "residence_name": name, "address": "松台街道演练路1号",
        "street": community.street_id, "community": community.pk, "property_company": "演练物业",
        "year_built": "2008", "households": "600", "residents": "1800",
        "rental_households": "80", "floating_population": "200", "floating_registered": "196",
        "cameras": "120", "access_control": "on", "vehicle_barrier": "on",
        "perimeter_wall": "on", "gates": "2", "guard_room": "on", "guards": "12",
        "patrols_per_day": "6", "duty_24h": "on", "satisfaction_rate": "96",
        "declares_no_serious_crime": "on", "declares_security_in_place": "on",
        "declares_rental_registration": "on", "declares_satisfaction": "on",
        "declares_no_yellow_card": "on", "recommended_by": "owners_committee",
        "recommender_name": f"{name}业主委员会", "contact_name": "演练人", "contact_phone": phone,
        "description": "演练数据。", "website": "",
    }  # fmt: skip
    return fields, {"Cookie": f"csrftoken={cookie}"}


def multipart(fields, files=()):
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for key, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_registration(port, fields, headers, files=()):
    body, content_type = multipart(fields, files)
    return fetch(
        port, "POST", "/2016/register/", body, {**headers, "Content-Type": content_type}, timeout=60
    )


def registrations_named(name):
    from registrations.models import Registration

    return Registration.objects.filter(residence_name=name)


def drill_database(site, drill):
    import psycopg

    server, port = site.gunicorn(workers=1)
    name = "演练断线花园"
    try:
        fields, headers = registration_form(site, port, name, site.new_phone())
        result = {}
        # Another connection locks the history table: the request writes the registration
        # row, then waits there; the drill then terminates the app's backend.
        with psycopg.connect(site.database_url) as locker:
            locker.execute("LOCK TABLE registrations_statuschange IN ACCESS EXCLUSIVE MODE")
            thread = threading.Thread(
                target=lambda: result.update(response=post_registration(port, fields, headers))
            )
            thread.start()
            waiting = []
            end = time.monotonic() + 20
            while not waiting and time.monotonic() < end:
                time.sleep(0.1)
                waiting = site.backends(waiting_on_lock=True)
            with site.admin() as conn:
                for pid in waiting:
                    conn.execute("SELECT pg_terminate_backend(%s)", [pid])
            locker.rollback()
        thread.join(60)
        status, response_headers, body = result["response"]
        half_written = registrations_named(name).count()
        health_status, _h, health_body = fetch(port, "GET", "/healthz")
        health = (health_status, json.loads(health_body)["checks"])
        again = post_registration(port, fields, headers)[0]
    finally:
        site.stop(server)
    drill.check(waiting, f"the app's backend {waiting} was terminated mid-request")
    drill.check(
        status == 503 and response_headers.get("retry-after"),
        f"the request got {status} with Retry-After {response_headers.get('retry-after')}",
    )
    drill.check("请稍后重新提交" in body.decode(), "the page says, in Chinese, to send it again")
    drill.check(half_written == 0, f"nothing half-written: {half_written} rows of the registration")
    drill.check(health[0] == 200, f"the next request reconnects: /healthz {health}")
    drill.check(
        again == 200 and registrations_named(name).count() == 1,
        f"the same post then goes through once ({again})",
    )


def drill_unreachable(site, drill):
    nowhere = f"postgres://postgres@{HOST}:{free_port()}/nothing"
    server, port = site.gunicorn(workers=1, DATABASE_URL=nowhere)
    try:
        page = fetch(port, "GET", "/2016/")
        api_answer = fetch(port, "GET", "/api/v1/campaigns/current/")
        health = fetch(port, "GET", "/healthz")
    finally:
        site.stop(server)
    drill.check(page[0] == 503 and page[1].get("retry-after"), f"a page answers {page[0]}, not 500")
    drill.check(
        api_answer[0] == 503
        and api_answer[1].get("retry-after")
        and json.loads(api_answer[2])["error"]["code"] in ("unavailable", "busy"),
        f"the API answers {api_answer[0]} with a JSON error: {api_answer[2][:80]!r}",
    )
    checks = json.loads(health[2])["checks"]
    drill.check(health[0] == 503 and checks["database"] == "down", f"/healthz {health[0]} {checks}")


def jpeg(size=(640, 480)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def drill_disk_full(site, drill):
    from registrations.models import RegistrationPhoto

    media = site.tmp / "full-media"
    media.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(media)],
                capture_output=True,
            ).returncode
            == 0
        )
    filler = media / "filler"
    if mounted:
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill it to the last page
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        how = "a 256 KB tmpfs, full"
    else:
        media.chmod(0o555)
        how = "a read-only folder (not root: no tmpfs)"
    server, port = site.gunicorn(workers=1, MEDIA_ROOT=str(media))
    name = "演练满盘花园"
    photo = ("photos", "gate.jpg", jpeg())
    try:
        fields, headers = registration_form(site, port, name, site.new_phone())
        status, response_headers, body = post_registration(port, fields, headers, [photo])
        rows_while_full = registrations_named(name).count()
        if mounted:
            filler.unlink()
        else:
            media.chmod(0o755)
        again = post_registration(port, fields, headers, [photo])[0]
        saved = registrations_named(name).first()
        photos = list(RegistrationPhoto.objects.filter(registration=saved)) if saved else []
        on_disk = bool(photos) and all((media / p.image.name).is_file() for p in photos)
    finally:
        site.stop(server)
        if mounted:
            subprocess.run(["umount", str(media)], check=False)
    drill.check(True, f"MEDIA_ROOT is {how}")
    drill.check(
        status == 503 and response_headers.get("retry-after"),
        f"a registration with a photo gets {status} with Retry-After",
    )
    drill.check("上传存储空间已满" in body.decode(), "the page says so in Chinese")
    drill.check(rows_while_full == 0, "no registration or photo row was left behind")
    drill.check(
        again == 200 and on_disk,
        f"with space again the same post is saved ({again}) and its photo is on disk",
    )


def run_worker(site):
    """``manage.py db_worker --batch``: run every queued task, then exit."""
    subprocess.run(
        [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=site.env,
        check=True,
        capture_output=True,
        timeout=900,
    )


def drill_tasks(site, drill):
    from django.apps import apps
    from django.utils import timezone

    from registrations.tasks import process_video

    server, port = site.gunicorn(workers=1, TASKS_MAX_QUEUE_SECONDS="600")
    try:
        # Building the demo queued Wagtail's own tasks (reference index updates) and the
        # drills before this one queued more: nothing has run them yet.
        backlog = json.loads(fetch(port, "GET", "/healthz")[2])
        run_worker(site)
        empty = json.loads(fetch(port, "GET", "/healthz")[2])
        result = process_video.enqueue(0)  # no worker runs: it waits in the queue
        model = apps.get_model("django_tasks_database", "DBTaskResult")
        model.objects.filter(pk=result.id).update(
            enqueued_at=timezone.now() - timezone.timedelta(hours=1)
        )
        status, _h, body = fetch(port, "GET", "/healthz")
        stalled = json.loads(body)
        run_worker(site)
        after_status, _h, after_body = fetch(port, "GET", "/healthz")
        after = json.loads(after_body)
    finally:
        site.stop(server)
    drill.check(
        backlog["details"]["tasks"]["backend"] == "database",
        f"before the worker ran: {backlog['checks']['tasks']} {backlog['details']['tasks']}",
    )
    drill.check(
        empty["checks"]["tasks"] == "ok" and empty["details"]["tasks"]["queued"] == 0,
        f"after db_worker --batch the queue is empty and ok: {empty['details']['tasks']}",
    )
    drill.check(
        status == 503
        and stalled["checks"]["tasks"] == "down"
        and stalled["details"]["tasks"]["oldest_queued_seconds"] >= 3600,
        f"a task waiting an hour with no worker: {status} {stalled['details']['tasks']}",
    )
    drill.check(
        after_status == 200 and after["details"]["tasks"]["queued"] == 0,
        f"after db_worker ran it: {after_status} {after['details']['tasks']}",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=DRILLS, help="run only these drills")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("DRILL_ADMIN_URL", f"postgres://postgres@{HOST}:5432/postgres"),
        help="a PostgreSQL URL allowed to create and drop the scratch database",
    )
    args = parser.parse_args()
    site = Site(args.admin_url)
    try:
        site.create()
    except Exception as error:  # noqa: BLE001
        print(f"FAIL setup: cannot make the scratch database on {args.admin_url}: {error}")
        site.drop_quietly()
        return 1
    failed = 0
    try:
        for name in args.only or DRILLS:
            print(f"== {name}", flush=True)
            drill = Drill(name)
            try:
                skip = globals()[f"drill_{name.replace('-', '_')}"](site, drill)
            except Exception:  # noqa: BLE001 - a drill that crashes has failed
                traceback.print_exc()
                drill.check(False, "the drill itself crashed")
                skip = None
            finally:
                site.stop_all()
            if skip:
                verdict = skip
            else:
                verdict = "PASS" if drill.checks and all(ok for ok, _t in drill.checks) else "FAIL"
                failed += verdict == "FAIL"
            RESULTS.append((name, verdict))
            print(f"{verdict} {name}", flush=True)
    finally:
        site.stop_all()
        site.drop()
        shutil.rmtree(site.tmp, ignore_errors=True)
    print("\n".join(f"{verdict:5} {name}" for name, verdict in RESULTS))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
