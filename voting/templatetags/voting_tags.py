"""``{% vote_button page %}``: the vote control on a candidate card or page.

It renders nothing personal, so the page around it stays cacheable: the voter's state is
fetched by ``static/js/vote.js`` from ``/api/v1/voter/``. Without JavaScript the button is a
link to the vote page (``voting:vote``), a plain form that posts and redirects back.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail.models import Locale

from voting.casting import original
from voting.messages import text

register = template.Library()


@register.simple_tag(takes_context=True)
def vote_button(context, page):
    # Once per template render, not once per card: a list of 24 cards stays 1 query.
    render = context.render_context
    if "default_locale_id" not in render:
        render["default_locale_id"] = Locale.get_default().pk
    candidate = page if page.locale_id == render["default_locale_id"] else original(page)
    first = not context.get("_vote_script_included")
    context["_vote_script_included"] = True
    return render_to_string(
        "voting/vote_button.html",
        {
            "candidate_id": candidate.pk,
            "name": page.title,
            "vote_url": reverse("voting:vote", args=[candidate.pk]),
            "include_script": first,
            "labels": {
                "vote": text("Vote"),
                "aria": text("Vote for %(name)s", name=page.title),
                "phone": text("Mobile number"),
                "send": text("Send code"),
                "code": text("Code"),
                "verify": text("Verify and vote"),
                "ok": text(
                    "Thank you! Your vote has been counted. Votes left today: %(remaining)s.",
                    remaining="{n}",
                ),
                "voted": text("Voted today"),
                # The card's count after a vote, as the card says it ({n} for the number).
                "votes_one": ngettext("%(counter)s vote", "%(counter)s votes", 1)
                % {"counter": "{n}"},
                "votes_other": ngettext("%(counter)s vote", "%(counter)s votes", 2)
                % {"counter": "{n}"},
            },
        },
    )
