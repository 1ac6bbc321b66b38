"""The vote's own SQL: on PostgreSQL one call, elsewhere one statement for each step.

On PostgreSQL a vote is one call of the function ``voting_cast_vote`` (migration
``voting/0007``), in autocommit: one round trip, which is its own transaction (``cast``).
Elsewhere (SQLite, whose engine runs in the process, so a statement costs no round trip)
the same steps are the statements below, in one transaction of the caller's. The ORM would
need two or three round trips for each of these steps (update, then insert on the day's
first vote, then read back; or one query per flag pattern). Each is written once here
(``INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING`` exists since SQLite 3.35), with
table and column names taken from the models so that a renamed field cannot leave a stale
statement behind.
"""

from datetime import UTC, datetime
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from voting.models import PhoneCode, Tally, Vote, Voter, VoterDay


def _names(model, *fields):
    """The quoted table name of ``model`` and the quoted columns of ``fields``."""
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), [quote(meta.get_field(f).column) for f in fields]


def _prep(model, field, value):
    """``value`` as the database driver expects it (SQLite keeps dates and times as text)."""
    return model._meta.get_field(field).get_db_prep_value(value, connection, prepared=False)


_insert_sql = {}


def insert(instance):
    """Insert a new, unsaved model instance in one statement and set its primary key.

    What ``instance.save()`` sends, without its query compiler (the larger part of a vote's
    Python time after the round trips): every concrete field but the primary key, each
    value through the field's own ``pre_save`` and ``get_db_prep_save`` (so defaults,
    ``auto_now_add`` and encrypted fields behave as with the ORM), ``RETURNING`` the new key
    (PostgreSQL and SQLite 3.35+). No ``pre_save``/``post_save`` signal is sent: use it only
    for models that nothing listens to (votes: no receiver, kept out of the reference index).
    """
    model = type(instance)
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key and not f.generated]
    sql = _insert_sql.get((model, connection.vendor))
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
            f" RETURNING {quote(meta.pk.column)}"
        )
        _insert_sql[(model, connection.vendor)] = sql
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def take_from_quota(campaign_id, voter_id, day, per_day):
    """Use one of the voter's votes of ``day``: the votes used now, or None when all are.

    One upsert: the day's first vote inserts the row with ``used = 1``; later ones add one
    while ``used < per_day``; a full row matches no ``WHERE`` and returns nothing. It is
    atomic on the unique (campaign, voter, day) row, so there is no check-then-insert race:
    on PostgreSQL the statement takes the row's lock (a concurrent vote of the same voter
    waits for this transaction, then sees its count), and under SQLite's IMMEDIATE
    transactions writers are serialised anyway.
    """
    table, (campaign, voter, day_col, used) = _names(VoterDay, "campaign", "voter", "day", "used")
    sql = (
        f"INSERT INTO {table} ({campaign}, {voter}, {day_col}, {used}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({campaign}, {voter}, {day_col}) DO UPDATE SET {used} = {table}.{used} + 1 "
        f"WHERE {table}.{used} < %s RETURNING {used}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign_id, voter_id, _prep(VoterDay, "day", day), per_day])
        row = cursor.fetchone()
    return row[0] if row else None


def agent_rows(agent_cap, per_candidate, window_seconds):
    """How many of a candidate's recent votes with one user agent the pattern reads at most.

    Enough to know whether ``agent_cap`` distinct voters are among them, without reading
    them all: a voter has at most ``per_candidate`` votes for a candidate in a calendar day
    (the unique slot), and a window of ``window_seconds`` touches at most
    ``window_seconds // 86400 + 2`` days, so any ``agent_cap`` times that many rows hold at
    least ``agent_cap`` voters; fewer rows are all the rows, and their count is exact. (The
    app sends one user agent for all its users: a popular candidate's window can hold tens
    of thousands of such votes, and reading them all cost every vote a scan as long.)
    """
    return agent_cap * per_candidate * (window_seconds // 86400 + 2)


class VoteReads(NamedTuple):
    """What ``vote_reads`` found."""

    voter_exists: bool
    already: int  # the voter's votes for the candidate on the day
    same_block: int  # the candidate's recent votes from the client's block (capped)
    same_agent: int  # distinct recent voters of the candidate with its agent (agent_rows read)
    code_sent: datetime | None  # when the voter's last used code was sent


def vote_reads(
    *, campaign_id, voter_id, candidate_id, day, since, block, agent, block_cap, agent_limit
):
    """What deciding and flagging a vote reads, in one round trip (a ``VoteReads``).

    Whether the voter's row exists; the voter's votes for this candidate on ``day``; the
    candidate's votes since ``since`` from address block ``block``, and the distinct voters
    among its votes since then with user agent ``agent``; and when the voter's last used
    code was sent. Only "at least the threshold" matters to the two patterns, so neither
    reads a burst whole: the block count stops at ``block_cap`` rows (its threshold), the
    agent count counts the voters among at most ``agent_limit`` rows (``agent_rows``:
    enough to see its threshold of voters). Each part has its index: the unique constraint;
    ``Vote (candidate, client_block_hash, created_at)`` and ``(candidate, user_agent_hash,
    created_at)``; ``PhoneCode.phone_hash``.
    """
    vote, (v_campaign, v_voter, v_candidate, v_day, v_created, v_block, v_agent) = _names(
        Vote,
        "campaign",
        "voter",
        "candidate",
        "day",
        "created_at",
        "client_block_hash",
        "user_agent_hash",
    )
    code, (c_phone, c_created, c_used) = _names(PhoneCode, "phone_hash", "created_at", "used_at")
    voter, (r_id, r_phone) = _names(Voter, "id", "phone_hash")
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {voter} WHERE {r_id} = %s),"
        f" (SELECT COUNT(*) FROM {vote} WHERE {v_campaign} = %s AND {v_voter} = %s"
        f" AND {v_candidate} = %s AND {v_day} = %s),"
        f" (SELECT COUNT(*) FROM (SELECT 1 FROM {vote} WHERE {v_candidate} = %s"
        f" AND {v_block} = %s AND {v_created} >= %s LIMIT %s) AS same_block),"
        f" (SELECT COUNT(DISTINCT {v_voter}) FROM (SELECT {v_voter} FROM {vote}"
        f" WHERE {v_candidate} = %s AND {v_agent} = %s AND {v_created} >= %s LIMIT %s)"
        " AS same_agent),"
        f" (SELECT MAX({c_created}) FROM {code} WHERE {c_used} IS NOT NULL"
        f" AND {c_phone} = (SELECT {r_phone} FROM {voter} WHERE {r_id} = %s))"
    )
    since = _prep(Vote, "created_at", since)
    day = _prep(Vote, "day", day)
    params = [voter_id, campaign_id, voter_id, candidate_id, day]
    params += [
        candidate_id,
        block,
        since,
        block_cap,
        candidate_id,
        agent,
        since,
        agent_limit,
        voter_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        exists, already, same_block, same_agent, code_sent = cursor.fetchone()
    if isinstance(code_sent, str):  # SQLite: the text of a UTC time
        code_sent = parse_datetime(code_sent)
    if code_sent is not None and timezone.is_naive(code_sent):
        code_sent = timezone.make_aware(code_sent, UTC)
    return VoteReads(bool(exists), already, same_block, same_agent, code_sent)


class Cast(NamedTuple):
    """What ``cast`` did: ``outcome`` is ``"ok"`` or the refusal (``"not_authenticated"``,
    ``"already_voted"``, ``"daily_limit"``), which wrote nothing."""

    outcome: str
    used: int | None  # the voter's votes used today, this one included
    vote_id: int | None
    tally: int | None  # the candidate's tally after this vote
    reasons: str | None  # why the vote was flagged, comma-separated ("" when it was not)


CAST_SQL = (
    "SELECT outcome, used, vote_id, tally, reasons FROM voting_cast_vote("
    "%s::integer, %s::integer, %s::bigint, %s::date, %s::timestamptz, %s::varchar,"
    " %s::varchar, %s::varchar, %s::varchar, %s::varchar, %s::integer, %s::integer,"
    " %s::timestamptz, %s::integer, %s::integer, %s::timestamptz)"
)


def cast(
    *,
    campaign_id,
    candidate_id,
    voter_id,
    day,
    now,
    channel,
    fingerprint,
    status,
    rules,
    since,
    caps,
    code_after,
):
    """Record a vote in one call of ``voting_cast_vote`` (PostgreSQL only; a ``Cast``).

    Called in autocommit, the call is its own transaction: a refusal writes nothing, and a
    unique violation (the voter's concurrent vote took the slot) raises ``IntegrityError``
    with nothing written, as the statements' transaction does. The flag thresholds
    ``caps`` and ``code_after`` (a code sent after it makes the vote "fast after code") are
    the same settings ``casting.flag_reasons`` applies on SQLite.
    """
    params = [
        campaign_id,
        candidate_id,
        voter_id,
        day,
        now,
        channel,
        fingerprint["client_hash"],
        fingerprint["client_block_hash"],
        fingerprint["user_agent_hash"],
        status,
        rules.per_day,
        rules.per_candidate_per_day,
        since,
        caps[0],
        caps[1],
        code_after,
    ]
    with connection.cursor() as cursor:
        cursor.execute(CAST_SQL, params)
        return Cast(*cursor.fetchone())


def add_to_tally(campaign_id, candidate_id, delta):
    """Add ``delta`` to a candidate's tally, making the row if missing; the new count.

    One upsert on the unique (campaign, candidate) row. It is the vote transaction's last
    statement: every vote for the candidate queues on this row's lock until its commit, so
    nothing else should run while it is held.
    """
    table, (campaign, candidate, votes) = _names(Tally, "campaign", "candidate", "votes")
    sql = (
        f"INSERT INTO {table} ({campaign}, {candidate}, {votes}) VALUES (%s, %s, %s) "
        f"ON CONFLICT ({campaign}, {candidate}) DO UPDATE SET {votes} = {table}.{votes} + %s "
        f"RETURNING {votes}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign_id, candidate_id, delta, delta])
        return cursor.fetchone()[0]
