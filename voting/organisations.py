"""The 优秀组织奖 (organisation award) metrics: what each 社区 did for the campaign.

The notice (八、1) awards the 社区 by "registrations and the promotion of the campaign, and
its effect". Per 社区 of the district, from the data:

- ``registrations``: registrations naming the 社区 (``Registration.community``), any status;
- ``votes``: valid votes for its candidates (the frozen final result once it exists);
- ``reports``: field reports covering its candidates, and ``events``: sign-ups from it for the
  field-visit events — both from media_reports, through the ``community_activity`` hook
  (voting cannot import media_reports).

Formula of the suggested order (stated on the admin page): each metric is taken as a share of
the best 社区's value (0–100) and the four shares are averaged; ties go to more
registrations, then more votes, then the 社区's name.
"""

from collections import defaultdict
from fractions import Fraction

from django.db.models import Count
from wagtail import hooks

from campaign_pages.models import Community
from registrations.models import Registration
from voting.casting import candidates
from voting.ranking import shown

METRICS = ("registrations", "votes", "reports", "events")


def activity(campaign):
    """{community id: {"reports": n, "events": n}} from every ``community_activity`` hook."""
    merged = defaultdict(lambda: defaultdict(int))
    for hook in hooks.get_hooks("community_activity"):
        for community_id, counts in hook(campaign).items():
            for key, value in counts.items():
                merged[community_id][key] += value
    return merged


def organisation_metrics(campaign):
    """One row per 社区 with any activity: metrics, score (0–100) and suggested order."""
    from voting.selection import vote_counts

    values = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for row in (
        Registration.objects.filter(campaign=campaign)
        .values("community_id")
        .annotate(n=Count("pk"))
    ):
        values[row["community_id"]]["registrations"] = row["n"]
    votes, _source = vote_counts(campaign)
    for page_id, community_id in candidates(campaign).values_list("pk", "community_id"):
        values[community_id]["votes"] += votes.get(page_id, 0)
    for community_id, counts in activity(campaign).items():
        for key in ("reports", "events"):
            values[community_id][key] += counts.get(key, 0)
    best = {m: max((v[m] for v in values.values()), default=0) for m in METRICS}
    communities = Community.objects.select_related("street").in_bulk(list(values))
    rows = []
    for community_id, metrics in values.items():
        if community_id not in communities or not any(metrics.values()):
            continue
        shares = [Fraction(metrics[m], best[m]) * 100 if best[m] else Fraction(0) for m in METRICS]
        score = sum(shares, Fraction(0)) / len(METRICS)
        rows.append(
            {
                "community": communities[community_id],
                **metrics,
                "score": score,
                "score_shown": shown(score),
            }
        )
    rows.sort(key=lambda r: (-r["score"], -r["registrations"], -r["votes"], r["community"].name))
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    return rows


def metrics_of(row):
    """The JSON-able metrics of a row, as the award keeps them."""
    return {**{m: row[m] for m in METRICS}, "score": str(row["score_shown"])}
