"""PostgreSQL's ``voting_cast_vote`` (migration voting/0007) under a real race of one voter.

Two connections of their own, as two gunicorn workers would hold: the first records a vote
and keeps its transaction open (holding the voter's quota row); the second calls the
function for the same voter and candidate, reads before the first commits, and waits on the
quota row. What the second does once the first commits is the branch no single-connection
test reaches: count again under the lock, then refuse (a unique violation, nothing written)
or take the next slot when the rules allow two votes per candidate.
"""

import threading
import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from voting import casting

from .conftest import new_phone

# The demo is committed in the test database (tests/conftest.py), so connections of their own
# see it; what they write is committed, and ``scratch_voter`` takes it away again.
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL function"),
    pytest.mark.django_db,
]

FINGERPRINT = {"client_hash": "c" * 64, "client_block_hash": "b" * 64, "user_agent_hash": "a" * 64}


def call(conn, campaign, candidate, voter, per_candidate=1, per_day=5):
    now = timezone.now()
    row = conn.execute(
        "SELECT outcome, used, vote_id, tally, reasons FROM voting_cast_vote("
        "%s, %s, %s, %s, %s, 'app', %s, %s, %s, 'valid', %s, %s, %s, 20, 30, %s)",
        [
            campaign,
            candidate,
            voter,
            casting.voting_day(now),
            now,
            FINGERPRINT["client_hash"],
            FINGERPRINT["client_block_hash"],
            FINGERPRINT["user_agent_hash"],
            per_day,
            per_candidate,
            now - timedelta(minutes=10),
            now - timedelta(seconds=5),
        ],
    ).fetchone()
    return row


def connect():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )


def waiting_on_a_lock(conn, pid, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
        ).fetchone()
        if row and row[0] == "Lock":
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def scratch_voter(campaign, candidate_ids):
    """(campaign id, candidate id, voter id): a voter committed for this test only; its
    votes, quota and tally changes are removed afterwards."""
    candidate = candidate_ids[0]
    admin = connect()
    admin.autocommit = True
    tallies = dict(admin.execute("SELECT candidate_id, votes FROM voting_tally").fetchall())
    voter = admin.execute(
        "INSERT INTO voting_voter (phone_hash, phone, created_at, flagged, flag_reason)"
        " VALUES (%s, '', now(), false, '') RETURNING id",
        [f"test-cast-function-{new_phone()}"],
    ).fetchone()[0]
    try:
        yield campaign.pk, candidate, voter
    finally:
        admin.execute("DELETE FROM voting_vote WHERE voter_id = %s", [voter])
        admin.execute("DELETE FROM voting_voterday WHERE voter_id = %s", [voter])
        admin.execute("DELETE FROM voting_voter WHERE id = %s", [voter])
        admin.execute("DELETE FROM voting_tally WHERE NOT candidate_id = ANY(%s)", [list(tallies)])
        for candidate_id, votes in tallies.items():
            admin.execute(
                "UPDATE voting_tally SET votes = %s WHERE candidate_id = %s", [votes, candidate_id]
            )
        admin.close()


def committed(sql, params):
    conn = connect()
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def race(scratch_voter):
    """``race(per_candidate)``: the second call's answer (or its error) once the first
    commits."""
    campaign, candidate, voter = scratch_voter

    def run(per_candidate):
        first, second, watcher = connect(), connect(), connect()
        watcher.autocommit = True
        second.autocommit = True  # a request's call: its own transaction
        outcome = {}

        def vote_second():
            try:
                outcome["row"] = call(second, campaign, candidate, voter, per_candidate)
            except psycopg.Error as error:
                outcome["error"] = error

        try:
            assert call(first, campaign, candidate, voter, per_candidate)[0] == "ok"
            thread = threading.Thread(target=vote_second)
            thread.start()
            assert waiting_on_a_lock(watcher, second.info.backend_pid), "no wait on the quota"
            first.commit()
            thread.join(10)
            assert not thread.is_alive()
        finally:
            for conn in (first, second, watcher):
                conn.close()
        return outcome

    return run


def test_the_second_of_two_concurrent_votes_for_one_candidate_is_refused_with_nothing_written(
    race, scratch_voter
):
    _campaign, candidate, voter = scratch_voter
    before = committed("SELECT votes FROM voting_tally WHERE candidate_id = %s", [candidate])
    outcome = race(per_candidate=1)
    assert isinstance(outcome.get("error"), psycopg.errors.UniqueViolation), outcome
    assert committed("SELECT slot FROM voting_vote WHERE voter_id = %s", [voter]) == [(1,)]
    # The refused call's quota step was rolled back with it.
    assert committed("SELECT used FROM voting_voterday WHERE voter_id = %s", [voter]) == [(1,)]
    after = committed("SELECT votes FROM voting_tally WHERE candidate_id = %s", [candidate])
    assert after[0][0] == (before[0][0] if before else 0) + 1


def test_with_two_votes_per_candidate_the_waiting_vote_takes_the_second_slot(race, scratch_voter):
    _campaign, _candidate, voter = scratch_voter
    outcome = race(per_candidate=2)
    assert outcome.get("row", ("",))[0] == "ok", outcome
    assert outcome["row"][1] == 2  # the voter's votes used today
    slots = committed("SELECT slot FROM voting_vote WHERE voter_id = %s ORDER BY slot", [voter])
    assert slots == [(1,), (2,)]


def test_a_refusal_by_the_function_writes_nothing(scratch_voter, candidate_ids):
    """The three refusals that the function answers without an error leave no row."""
    campaign, candidate, voter = scratch_voter
    conn = connect()
    conn.autocommit = True
    try:
        gone = call(conn, campaign, candidate, 987_654_321, per_day=1)
        assert gone[0] == "not_authenticated"
        quota = "SELECT used FROM voting_voterday WHERE voter_id = %s"
        assert committed(quota, [987_654_321]) == []  # not even a quota row
        assert call(conn, campaign, candidate, voter, per_day=1)[0] == "ok"
        again = call(conn, campaign, candidate, voter, per_day=1)
        assert again[0] == "already_voted"  # wins over the daily limit, as on SQLite
        other = call(conn, campaign, candidate_ids[1], voter, per_day=1)
        assert other[:2] == ("daily_limit", None)
    finally:
        conn.close()
    assert committed("SELECT count(*) FROM voting_vote WHERE voter_id = %s", [voter]) == [(1,)]
    assert committed(quota, [voter]) == [(1,)]
