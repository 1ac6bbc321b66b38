"""The user-agent pattern of ``voting_cast_vote`` reads a bounded number of votes.

In 0007 it counted ``SELECT DISTINCT voter_id … LIMIT cap``: PostgreSQL hashes every
matching row before the limit applies, so each vote read all of the candidate's votes
with its user agent in the flag window. The app sends one user agent for all its users,
so for a popular candidate that is every vote of the last ten minutes, on every vote
(20 ms per vote at 50,000 such votes: bench/agent_pattern.py). Now the voters are counted among at most
``cap × per-candidate votes a day × days the window touches`` rows, which holds at least
``cap`` voters whenever that many rows exist (``voting.statements.agent_rows``, the same
rule on SQLite). Everything else in the function is 0007's, taken from its text.
"""

import importlib

from django.db import migrations

initial = importlib.import_module("voting.migrations.0007_cast_vote_function")

UNBOUNDED = """(SELECT count(*) FROM (SELECT DISTINCT voter_id FROM voting_vote
            WHERE candidate_id = p_candidate AND user_agent_hash = p_agent
            AND created_at >= p_since LIMIT p_agent_cap) a),"""

BOUNDED = """(SELECT count(DISTINCT voter_id) FROM (SELECT voter_id FROM voting_vote
            WHERE candidate_id = p_candidate AND user_agent_hash = p_agent
            AND created_at >= p_since
            LIMIT p_agent_cap * p_per_candidate
                * (floor(extract(epoch FROM p_now - p_since) / 86400)::integer + 2)) a),"""

assert initial.CREATE.count(UNBOUNDED) == 1, "0007's agent count is not where it was"
CREATE = initial.CREATE.replace(UNBOUNDED, BOUNDED)


class Migration(migrations.Migration):
    dependencies = [("voting", "0007_cast_vote_function")]

    operations = [
        migrations.RunPython(
            initial.on_postgresql(CREATE), initial.on_postgresql(initial.CREATE)
        )
    ]
