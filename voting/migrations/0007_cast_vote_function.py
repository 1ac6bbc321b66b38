"""A vote in one round trip on PostgreSQL: the function ``voting_cast_vote``.

The vote's transaction (voting/casting.py) was four statements, each a round trip, plus
BEGIN and COMMIT: on a 2-core machine the client side of those round trips cost the app
server as much CPU as the database spent running them (docs/performance.md, "Votes"). The
function runs the same steps in the database, called once in autocommit, so the call is
its own transaction. SQLite keeps the statements of voting/statements.py (no round trips
there: the engine is in the process).

The steps of voting/casting.py's ``_record_statements``, with the read first:

1. one read: does the voter exist, its votes for the candidate today, the candidate's
   recent votes from the client's address block and the distinct recent voters with its
   user agent (each capped at its flag threshold), when the voter's last used code was
   sent. A refusal here (no voter, already voted) writes nothing: "already voted" wins over
   the daily limit, as on SQLite;
2. the quota upsert: takes the voter-day row's lock, so the voter's concurrent votes queue
   here; a full day returns nothing and writes nothing;
3. under that lock, the voter's votes for the candidate are counted again (one of the
   voter's concurrent votes may have committed since step 1): the new vote's slot, or a
   unique violation, which the caller answers 409 ``already_voted`` as for the constraint;
4. the vote's row (flagged with its reasons) and, when flagged, the voter's mark;
5. the tally upsert, last, so the candidate's row is locked only until the commit.

Written once here and never edited: a change is a new migration with ``CREATE OR REPLACE``.
Table and column names are the models' (a test on PostgreSQL casts votes through it).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION voting_cast_vote(
    p_campaign integer,
    p_candidate integer,
    p_voter bigint,
    p_day date,
    p_now timestamptz,
    p_channel varchar,
    p_client varchar,
    p_block varchar,
    p_agent varchar,
    p_status varchar,
    p_per_day integer,
    p_per_candidate integer,
    p_since timestamptz,
    p_block_cap integer,
    p_agent_cap integer,
    p_code_after timestamptz
) RETURNS TABLE (outcome text, used integer, vote_id bigint, tally integer, reasons text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_exists boolean;
    v_already integer;
    v_block integer;
    v_agent integer;
    v_code timestamptz;
    v_used integer;
    v_reasons text[] := '{}';
    v_vote bigint;
    v_tally integer;
BEGIN
    SELECT
        EXISTS (SELECT 1 FROM voting_voter WHERE id = p_voter),
        (SELECT count(*) FROM voting_vote WHERE campaign_id = p_campaign
            AND voter_id = p_voter AND candidate_id = p_candidate AND day = p_day),
        (SELECT count(*) FROM (SELECT 1 FROM voting_vote WHERE candidate_id = p_candidate
            AND client_block_hash = p_block AND created_at >= p_since LIMIT p_block_cap) b),
        (SELECT count(*) FROM (SELECT DISTINCT voter_id FROM voting_vote
            WHERE candidate_id = p_candidate AND user_agent_hash = p_agent
            AND created_at >= p_since LIMIT p_agent_cap) a),
        (SELECT max(c.created_at) FROM voting_phonecode c WHERE c.used_at IS NOT NULL
            AND c.phone_hash = (SELECT phone_hash FROM voting_voter WHERE id = p_voter))
    INTO v_exists, v_already, v_block, v_agent, v_code;

    IF NOT v_exists THEN
        RETURN QUERY SELECT 'not_authenticated'::text, NULL::integer, NULL::bigint,
            NULL::integer, NULL::text;
        RETURN;
    END IF;
    IF v_already >= p_per_candidate THEN
        RETURN QUERY SELECT 'already_voted'::text, NULL::integer, NULL::bigint,
            NULL::integer, NULL::text;
        RETURN;
    END IF;

    INSERT INTO voting_voterday AS q (campaign_id, voter_id, day, used)
    VALUES (p_campaign, p_voter, p_day, 1)
    ON CONFLICT (campaign_id, voter_id, day) DO UPDATE SET used = q.used + 1
    WHERE q.used < p_per_day
    RETURNING q.used INTO v_used;
    IF v_used IS NULL THEN
        RETURN QUERY SELECT 'daily_limit'::text, NULL::integer, NULL::bigint,
            NULL::integer, NULL::text;
        RETURN;
    END IF;

    IF v_used > 1 THEN  -- the voter's other votes today may have committed since the read
        SELECT count(*) INTO v_already FROM voting_vote WHERE campaign_id = p_campaign
            AND voter_id = p_voter AND candidate_id = p_candidate AND day = p_day;
        IF v_already >= p_per_candidate THEN  -- rolls the quota back with the statement
            RAISE unique_violation USING MESSAGE = 'already voted for this candidate today';
        END IF;
    END IF;

    IF v_block >= p_block_cap THEN
        v_reasons := v_reasons || 'block_burst'::text;
    END IF;
    IF v_code IS NOT NULL AND v_code > p_code_after THEN
        v_reasons := v_reasons || 'fast_after_code'::text;
    END IF;
    IF v_agent >= p_agent_cap THEN
        v_reasons := v_reasons || 'same_user_agent'::text;
    END IF;

    INSERT INTO voting_vote (campaign_id, candidate_id, voter_id, day, slot, created_at,
        channel, client_hash, client_block_hash, user_agent_hash, flagged, flag_reasons,
        status, status_changed_at, status_changed_by_id, status_reason)
    VALUES (p_campaign, p_candidate, p_voter, p_day, v_already + 1, p_now, p_channel,
        p_client, p_block, p_agent, cardinality(v_reasons) > 0,
        array_to_string(v_reasons, ','), p_status, NULL, NULL, '')
    RETURNING id INTO v_vote;

    IF cardinality(v_reasons) > 0 THEN
        UPDATE voting_voter SET flagged = true, flag_reason = array_to_string(v_reasons, ',')
        WHERE id = p_voter;
    END IF;

    INSERT INTO voting_tally AS t (campaign_id, candidate_id, votes)
    VALUES (p_campaign, p_candidate, 1)
    ON CONFLICT (campaign_id, candidate_id) DO UPDATE SET votes = t.votes + 1
    RETURNING t.votes INTO v_tally;

    RETURN QUERY SELECT 'ok'::text, v_used, v_vote, v_tally, array_to_string(v_reasons, ',');
END;
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS voting_cast_vote(integer, integer, bigint, date, timestamptz,
    varchar, varchar, varchar, varchar, varchar, integer, integer, timestamptz, integer,
    integer, timestamptz);
"""


def on_postgresql(sql):
    """Run ``sql`` on PostgreSQL only: SQLite has no stored functions (nor needs them)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("voting", "0006_fewer_vote_indexes")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
