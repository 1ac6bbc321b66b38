"""The user-agent flag pattern on a popular candidate: one vote's database time, old and new.

Usage (from the checkout):  .venv/bin/python bench/agent_pattern.py [--votes 50000]
        [--others 450000] [--calls 100] [--database pingan_bench_agent_pattern]

The 我们 app sends one user agent for all its users, so a popular candidate's votes in the
flag window (``VOTE_FLAG_WINDOW``, 10 minutes) can nearly all share one. This builds a
scratch database (PostgreSQL on 127.0.0.1:5432 as ``postgres``, dropped at the end) with
the demo, ``--votes`` votes for one candidate from distinct voters with one agent inside
the window and ``--others`` older votes for other candidates (so the planner sees a vote
table of a real campaign's shape), then times ``--calls`` votes of new voters through
``voting_cast_vote`` as migration ``voting/0007`` defined it (``SELECT DISTINCT … LIMIT``,
which hashes every matching row first) and as ``voting/0008`` does (the voters among at most
``agent_rows`` rows), alternating, twice each. It prints the milliseconds per vote, one
client, and the ratio of the two in the same run. A benchmark, not a test.
"""

import argparse
import importlib
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from _server import POSTGRES, ROOT, bench_env, prepare, scratch_postgres

AGENT = "bench-agent"

FILL = """
INSERT INTO voting_voter (phone_hash, phone, flagged, flag_reason, created_at)
    SELECT 'bench-' || g, '', false, '', now() FROM generate_series(1, %(voters)s) g;
INSERT INTO voting_vote (campaign_id, candidate_id, voter_id, day, slot, created_at, channel,
    client_hash, client_block_hash, user_agent_hash, flagged, flag_reasons, status,
    status_reason)
    SELECT %(campaign)s, %(candidate)s, id, (now() AT TIME ZONE 'Asia/Shanghai')::date, 1,
        now() - (id %% 300) * interval '1 second', 'app', 'c' || id, 'b' || id,
        %(agent)s, false, '', 'valid', ''
    FROM voting_voter WHERE phone_hash LIKE 'bench-%%' ORDER BY id LIMIT %(votes)s;
INSERT INTO voting_vote (campaign_id, candidate_id, voter_id, day, slot, created_at, channel,
    client_hash, client_block_hash, user_agent_hash, flagged, flag_reasons, status,
    status_reason)
    SELECT %(campaign)s, c.pk, v.id, date '2000-01-01' + c.n::integer, 1,
        timestamptz '2000-01-01' + c.n * interval '1 day', 'app', 'c', 'b',
        'other-' || (v.id %% 1000), false, '', 'valid', ''
    FROM (SELECT id FROM voting_voter WHERE phone_hash LIKE 'bench-%%' ORDER BY id
          LIMIT %(votes)s) v,
         (SELECT pk, row_number() OVER () AS n FROM unnest(%(others_candidates)s::integer[])
          AS pk) c
    LIMIT %(others)s;
ANALYZE voting_vote;
ANALYZE voting_voter;
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=50_000, help="one agent, in the window")
    parser.add_argument("--others", type=int, default=450_000, help="older votes, elsewhere")
    parser.add_argument("--calls", type=int, default=100, help="votes timed per round")
    parser.add_argument("--database", default="pingan_bench_agent_pattern")
    args = parser.parse_args()
    args.votes = min(max(args.votes, 100), 200_000)
    args.others = min(max(args.others, 0), 2_000_000)
    args.calls = min(max(args.calls, 10), 1000)
    if not args.database.replace("_", "").isalnum() or args.database in ("postgres", "test"):
        raise SystemExit("--database: a scratch name of letters, digits and underscores")
    return args


def main():
    args = parse_args()
    import psycopg

    tmp = Path(tempfile.mkdtemp(prefix="pingan-bench-agent-"))
    url = scratch_postgres(args.database)
    try:
        # The development settings: the production ones log every page the demo publishes.
        quiet = {"DJANGO_SETTINGS_MODULE": "pingan.settings.dev"}
        prepare(bench_env(tmp, database_url=url, extra=quiet), static=False)
        sys.path[:0] = [str(ROOT)]
        initial = importlib.import_module("voting.migrations.0007_cast_vote_function")
        bounded = importlib.import_module("voting.migrations.0008_bounded_agent_count")
        with psycopg.connect(url, autocommit=True) as conn:
            campaign = conn.execute(
                "SELECT page_ptr_id FROM campaign_pages_campaignpage ORDER BY year DESC LIMIT 1"
            ).fetchone()[0]
            candidates = [
                r[0] for r in conn.execute("SELECT page_ptr_id FROM campaign_pages_residencepage")
            ]
            rounds = 4
            fill = {
                "voters": args.votes + rounds * args.calls,
                "votes": args.votes,
                "others": args.others,
                "campaign": campaign,
                "candidate": candidates[0],
                "agent": AGENT,
                "others_candidates": candidates[1:],
            }
            for statement in filter(str.strip, FILL.split(";\n")):
                conn.execute(statement, fill if "%(" in statement else None)
            fresh = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM voting_voter WHERE phone_hash LIKE 'bench-%%'"
                    " ORDER BY id OFFSET %s",
                    [args.votes],
                )
            ]
            total = conn.execute("SELECT count(*) FROM voting_vote").fetchone()[0]
            print(
                f"{total} votes; {args.votes} for one candidate with one agent in the window; "
                f"{args.calls} votes timed per round, one client"
            )
            timings = {"0007": [], "0008": []}
            for n in range(rounds):
                name, create = ("0007", initial.CREATE) if n % 2 == 0 else ("0008", bounded.CREATE)
                conn.execute(create)
                batch = fresh[n * args.calls : (n + 1) * args.calls]
                timings[name].append(cast_votes(conn, campaign, candidates[0], batch))
                print(f"  {name}: {timings[name][-1]:7.2f} ms per vote", flush=True)
            old, new = min(timings["0007"]), min(timings["0008"])
            print(
                f"best of each: 0007 {old:.2f} ms, 0008 {new:.2f} ms per vote; "
                f"0008 takes {new / old:.3f} of 0007's time"
            )
    finally:
        where = ["-h", POSTGRES["host"], "-p", POSTGRES["port"], "-U", POSTGRES["user"]]
        subprocess.run(["dropdb", *where, "--if-exists", "--force", args.database], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def cast_votes(conn, campaign, candidate, voters):
    """Milliseconds per vote of ``voters`` (new ones), each its own transaction."""
    start = time.perf_counter()
    for voter in voters:
        now = datetime.now(UTC)
        outcome, reasons = conn.execute(
            "SELECT outcome, reasons FROM voting_cast_vote(%s, %s, %s, %s, %s, 'app', 'c', 'b',"
            " %s, 'valid', 5, 1, %s, 20, 30, %s)",
            [
                campaign,
                candidate,
                voter,
                now.astimezone(ZoneInfo("Asia/Shanghai")).date(),
                now,
                AGENT,
                now - timedelta(minutes=10),
                now - timedelta(seconds=5),
            ],
        ).fetchone()
        if outcome != "ok" or "same_user_agent" not in reasons:
            raise SystemExit(f"unexpected answer: {outcome} {reasons}")
    return (time.perf_counter() - start) / len(voters) * 1000


if __name__ == "__main__":
    main()
