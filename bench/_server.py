"""What the benchmarks share: a scratch database and cache, the demo, gunicorn on loopback.

Everything here talks to 127.0.0.1 only. A benchmark builds its environment with
``bench_env`` (throw-away keys, its own PostgreSQL database or SQLite file, its own Redis
database number, flushed), prepares it with ``prepare`` (migrate, load_demo, and
collectstatic when pages are served), starts gunicorn with ``start_gunicorn`` and stops it
with ``stop``.
"""

import base64
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOST = "127.0.0.1"
POSTGRES = {"host": HOST, "port": "5432", "user": "postgres"}


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(port, path, headers=None, method="GET", body=None, host=HOST, timeout=10):
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data
    finally:
        conn.close()


def wait_until_up(port, path="/bench/trivial/", deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if request(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on {HOST}:{port} within {deadline} s")


def scratch_postgres(name):
    """A new, empty PostgreSQL database ``name`` on 127.0.0.1:5432 (user postgres, trust)."""
    args = ["-h", POSTGRES["host"], "-p", POSTGRES["port"], "-U", POSTGRES["user"]]
    subprocess.run(["dropdb", *args, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *args, name], check=True)
    return f"postgres://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{name}"


def flush_redis(url):
    """Empty the Redis database of ``url`` (the benchmark's own number, never db 0)."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def bench_env(tmp, *, database_url=None, redis_url=None, extra=None):
    """The environment of the benchmark's servers and management commands.

    The production settings require keys; these are made up for the run and thrown away
    with it (the benchmark reads no real personal data).
    """
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'site'}",
            "DJANGO_SETTINGS_MODULE": "pingan.settings.production",
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.db'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp / "private-media"),
            "BENCH_VIEWS": "1",
            "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "VOTER_HASH_KEY": os.urandom(16).hex(),
            "SECURE_SSL_REDIRECT": "false",
        }
    )
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra or {})
    return env


def manage(env, *command, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )  # fmt: skip
    return result.stdout if capture else None


def prepare(env, *, static=True):
    """Migrate, build the demo (voting open today) and, for pages, collect static files."""
    print("Building the demo database …", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    if static:
        # The production settings use whitenoise's manifest storage: no page renders without
        # it. Goes to the checkout's staticfiles/ (git-ignored), as a deployment does.
        manage(env, "collectstatic", "--noinput", "-v0")


def start_gunicorn(env, port, workers=2, threads=1, name="app"):
    gunicorn = Path(PYTHON).with_name("gunicorn")
    command = [
        str(gunicorn), "--bind", f"{HOST}:{port}", "--workers", str(workers),
        "--log-level", "warning", "--graceful-timeout", "5", "--name", name,
    ]  # fmt: skip
    if threads > 1:
        command += ["--threads", str(threads)]
    return subprocess.Popen([*command, "pingan.wsgi"], cwd=ROOT, env=env, start_new_session=True)


def stop(process, sig=signal.SIGTERM, timeout=30):
    """Stop a server started here (its own process group) and wait for it."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def remove(path):
    shutil.rmtree(path, ignore_errors=True)
