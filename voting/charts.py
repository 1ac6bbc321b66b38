"""Valid votes per Beijing day, drawn as server-side SVG bar charts for the district office.

No JavaScript library and no CDN: each chart is a small ``<svg>`` written here, so it works
in the admin under a strict Content-Security-Policy (presentation attributes only, no
``style``) and can be printed or saved as it is. One query counts every candidate's votes
per day; the charts share one scale so that candidates can be compared at a glance.
"""

from datetime import timedelta

from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from campaign_pages.models import ResidencePage
from voting.casting import candidates, voting_day
from voting.models import Vote
from voting.models.votes import VoteStatus

MAX_DAYS = 92  # a window longer than a quarter is drawn for its last 92 days only
BAR_COLOUR = "#b3261e"  # the site's brand red
AXIS_COLOUR = "#4f5b66"


def chart_days(campaign, counted_days, today=None):
    """The days to draw: the voting window up to today, widened to any day that has votes."""
    phase = campaign.phase("voting")
    today = today or voting_day()
    days = set(counted_days)
    if phase is not None and phase.first_day <= today:
        day, last = phase.first_day, min(phase.last_day, today)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    if not days:
        return []
    first, last = min(days), max(days)
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def daily_series(campaign, today=None):
    """(days, [{"candidate", "title", "counts", "total"}]) of valid votes; biggest total first.

    Candidates are the campaign's live ones plus any other page that has votes (e.g. one
    unpublished since), so no valid vote is left out of the picture.
    """
    rows = (
        Vote.objects.filter(campaign=campaign, status=VoteStatus.VALID)
        .order_by()
        .values_list("candidate_id", "day")
        .annotate(n=Count("pk"))
    )
    counts, totals = {}, {}
    for candidate, day, n in rows:
        counts[candidate, day] = n
        totals[candidate] = totals.get(candidate, 0) + n
    days = chart_days(campaign, {day for _candidate, day in counts}, today)
    titles = dict(candidates(campaign).values_list("pk", "title"))
    missing = set(totals) - set(titles)
    if missing:
        titles.update(ResidencePage.objects.filter(pk__in=missing).values_list("pk", "title"))
    series = [
        {
            "candidate": pk,
            "title": title,
            "counts": [counts.get((pk, day), 0) for day in days],
            "total": totals.get(pk, 0),
        }
        for pk, title in titles.items()
    ]
    series.sort(key=lambda s: (-s["total"], s["title"]))
    return days, series


def nice_ceiling(value):
    """The scale's top: 1, 2, 5, 10, 20, 50 … at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def day_label(day):
    return f"{day.month}/{day.day}"


def bar_chart(days, values, title, scale_max, width=320, height=140, chart_id="chart"):
    """An accessible SVG bar chart: one bar per day, the scale's top and the first/last day.

    ``title`` becomes the SVG's ``<title>`` (its accessible name); every bar has its own
    ``<title>`` (day and count), which desktop browsers show on hover.
    """
    left, right, top, bottom = 34, 8, 10, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    scale_max = max(scale_max, 1)
    n = max(len(days), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.7, 1)
    bars = []
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        h = plot_h * value / scale_max
        x = left + index * slot + (slot - bar_w) / 2
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                f"{x:.1f}",
                f"{top + plot_h - h:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                BAR_COLOUR,
                _("%(day)s: %(count)s valid votes") % {"day": day_label(day), "count": value},
            )
        )
    # A day label under every k-th bar, k chosen so that labels (about 36 px) never overlap.
    every = max(1, -(-len(days) * 36 // max(plot_w, 1)))
    labels = [
        (f"{left + index * slot + slot / 2:.1f}", "middle", day_label(day))
        for index, day in enumerate(days)
        if index % every == 0
    ]
    baseline = top + plot_h
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="vote-chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title">'
        '<title id="{id}-title">{title}</title>'
        '<line x1="{left}" y1="{top}" x2="{right_x}" y2="{top}" stroke="#d9d4cc" '
        'stroke-dasharray="3 3"/>'
        '<line x1="{left}" y1="{baseline}" x2="{right_x}" y2="{baseline}" stroke="{axis}"/>'
        '<text x="{label_x}" y="{top_text}" text-anchor="end" font-size="11" fill="{axis}">'
        "{max}</text>"
        '<text x="{label_x}" y="{baseline}" text-anchor="end" font-size="11" fill="{axis}">0</text>'
        "{bars}{labels}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        left=left,
        top=top,
        right_x=width - right,
        baseline=f"{baseline:.1f}",
        axis=AXIS_COLOUR,
        label_x=left - 4,
        top_text=top + 4,
        max=scale_max,
        bars=mark_safe("".join(bars)),  # noqa: S308 - each bar was built by format_html
        labels=format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="{}" font-size="11" fill="' + AXIS_COLOUR + '">'
            "{}</text>",
            ((x, height - 6, anchor, text) for x, anchor, text in labels),
        ),
    )


def campaign_charts(campaign, today=None):
    """What the admin view shows: the total per day and one small chart per candidate."""
    days, series = daily_series(campaign, today)
    totals = [sum(s["counts"][i] for s in series) for i in range(len(days))]
    shared_max = nice_ceiling(max((max(s["counts"], default=0) for s in series), default=0))
    total_chart = bar_chart(
        days,
        totals,
        _("Valid votes per day, all candidates"),
        nice_ceiling(max(totals, default=0)),
        width=640,
        height=200,
        chart_id="chart-total",
    )
    for s in series:
        s["svg"] = bar_chart(
            days,
            s["counts"],
            _("Valid votes per day for %(name)s") % {"name": s["title"]},
            shared_max,
            chart_id=f"chart-{s['candidate']}",
        )
    return {"days": days, "series": series, "totals": totals, "total_chart": total_chart}
