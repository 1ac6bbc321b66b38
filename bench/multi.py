"""Beyond one machine, shown on one: app servers behind nginx, sharing PostgreSQL and Redis.

Usage (from the checkout):
    .venv/bin/python bench/multi.py [--servers 2] [--workers 2] [--seconds 30]
                                    [--kill-after 10] [campaign.py options …]

It makes a scratch PostgreSQL database (``pingan_bench_multi``), uses Redis database 11
(flushed), builds the demo, and starts ``--servers`` gunicorn app servers on their own
loopback ports, all stateless and sharing the database, Redis and the SMS folder. nginx
(``apt-get install -y nginx``; its own configuration, prefix and logs in a temporary
folder, never the system's) balances them on another loopback port. Then it runs

    bench/campaign.py --url http://127.0.0.1:<nginx port>

with the servers' environment, and with ``--kill-after S`` kills one app server (SIGKILL:
a crash, not a clean stop) S seconds into the run. nginx sends the idempotent requests that
server dropped to the other one (``proxy_next_upstream error timeout``) and never retries a
POST by itself (no ``non_idempotent``): a vote the dead server may or may not have stored
is the client's to retry, and the database's unique rule (one vote per voter, candidate and
day) makes that retry safe. The exit status is campaign.py's: 0 when there were no errors
and rows = accepted votes = tallies.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _server import (
    HOST,
    PYTHON,
    ROOT,
    bench_env,
    flush_redis,
    free_port,
    prepare,
    remove,
    scratch_postgres,
    start_gunicorn,
    stop,
    wait_until_up,
)
from campaign import campaign_settings

NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

    upstream pingan {{
{servers}
    }}

    # Bench only: the load generator stands for many phones and names each in X-Real-IP.
    # In production this is:  proxy_set_header X-Real-IP $remote_addr;
    map $http_x_real_ip $client_ip {{
        ""      $remote_addr;
        default $http_x_real_ip;
    }}

    server {{
        listen {host}:{port};
        client_max_body_size 20m;

        location / {{
            proxy_pass http://pingan;
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $client_ip;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that refuses the connection or fails before answering: the request
            # goes to the next one, but only if it is idempotent (GET, HEAD…). POSTs are
            # never retried by nginx (no "non_idempotent"): a vote is retried by the client.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


def start_nginx(prefix, port, app_ports):
    (prefix / "tmp").mkdir(parents=True)
    prefix.chmod(0o755)  # nginx's workers (user nobody) write its temp files below
    servers = "\n".join(
        f"        server {HOST}:{p} max_fails=1 fail_timeout=10s;" for p in app_ports
    )
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, servers=servers, host=HOST, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-e", str(prefix / "error.log"),
                    "-c", str(conf)], check=True)  # fmt: skip
    return subprocess.Popen(
        [nginx, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf),
         "-g", "daemon off;"],
        start_new_session=True,
    )  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="app servers (2-4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers each")
    parser.add_argument("--kill-after", type=float, help="kill app server 1 after S seconds")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    args, campaign_args = parser.parse_known_args()
    args.servers = min(max(args.servers, 2), 4)
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        raise SystemExit("nginx is not installed: apt-get install -y nginx")

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-multi-"))
    flush_redis(args.redis_url)
    env = bench_env(
        tmp,
        database_url=scratch_postgres("pingan_bench_multi"),
        redis_url=args.redis_url,
        extra=campaign_settings(tmp),
    )
    prepare(env)
    app_ports = [free_port() for _ in range(args.servers)]
    apps = [
        start_gunicorn(env, p, workers=args.workers, name=f"app{n}")
        for n, p in enumerate(app_ports, 1)
    ]
    nginx = None
    killer = None
    try:
        for p in app_ports:
            wait_until_up(p)
        port = free_port()
        nginx = start_nginx(tmp / "nginx", port, app_ports)
        wait_until_up(port)
        print(
            f"nginx on {HOST}:{port} -> app servers on {', '.join(map(str, app_ports))} "
            f"({args.workers} gunicorn workers each); PostgreSQL and Redis shared",
            flush=True,
        )
        command = [PYTHON, str(ROOT / "bench" / "campaign.py"), "--url",
                   f"http://{HOST}:{port}", *campaign_args]  # fmt: skip
        print("$ " + " ".join(command[1:]), flush=True)
        run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)

        def kill_one():
            time.sleep(args.kill_after)
            if run.poll() is None:
                print(f"-- {args.kill_after:g} s into the load: app server 1 (port "
                      f"{app_ports[0]}) killed with SIGKILL --", flush=True)  # fmt: skip
                os.killpg(apps[0].pid, signal.SIGKILL)

        for line in run.stdout:  # campaign.py's report, passed on; the kill timed from its start
            print(line, end="", flush=True)
            if line.startswith("load started") and args.kill_after:
                killer = threading.Thread(target=kill_one, daemon=True)
                killer.start()
        status = run.wait()
    finally:
        if nginx is not None:
            stop(nginx, sig=signal.SIGQUIT)
        for app in apps:
            stop(app)
    log = tmp / "nginx" / "error.log"
    if log.exists():
        upstream_errors = [line for line in log.read_text().splitlines() if "upstream" in line]
        print(f"nginx error log: {len(upstream_errors)} upstream errors (a killed server's)")
    remove(tmp)
    flush_redis(args.redis_url)
    sys.exit(status)


if __name__ == "__main__":
    main()
