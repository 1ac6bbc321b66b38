"""The vote page without JavaScript: a plain form that posts and redirects back (PRG).

``/vote/<id>/`` asks for the number and a code the first time (a captcha too after
``VOTE_CAPTCHA_AFTER`` code requests from one address), then votes with one button. The
outcome is kept in the session and shown after the redirect, in the page's language.
"""

from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from voting import casting, clients, codes
from voting.messages import VotingError, text

RESULT_KEY = "voting_result"


class CaptchaForm(forms.Form):
    captcha = CaptchaField()


def needs_captcha(request):
    key = clients.fingerprint(request)["client_hash"]
    return clients.over_limit(
        request, "voting.web.captcha", key, settings.VOTE_CAPTCHA_AFTER, increment=False
    )


@never_cache
def vote_page(request, candidate_id):
    candidate = casting.find_candidate(candidate_id)
    if candidate is None:
        raise Http404
    campaign = casting.campaign_of(candidate)
    voter = codes.voter_from_session(request)
    context = {"candidate": candidate, "voter": voter, "phone": "", "code_sent": False}
    limited = None  # a VotingError 429: the page says why, with its status and Retry-After
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send_code":
                context["phone"] = request.POST.get("phone", "")[:20]
                if needs_captcha(request) and not CaptchaForm(request.POST).is_valid():
                    raise VotingError(400, "captcha", text("Enter the characters in the picture."))
                phone = codes.send_code(request, request.POST.get("phone", ""))
                clients.over_limit(
                    request,
                    "voting.web.captcha",
                    clients.fingerprint(request)["client_hash"],
                    settings.VOTE_CAPTCHA_AFTER,
                )
                context["code_sent"] = True
                context["message"] = text(
                    "A code has been sent to %(phone)s.", phone=codes.masked(phone)
                )
            else:
                if action == "verify":
                    voter = codes.verify_code(
                        request, request.POST.get("phone", ""), request.POST.get("code", "")
                    )
                    codes.start_session(request, voter)
                if voter is None:
                    raise VotingError(
                        401, "not_authenticated", text("Verify your mobile number before voting.")
                    )
                vote, _rules = casting.cast_vote(request, voter, candidate.pk, "web")
                request.session[RESULT_KEY] = [
                    True,
                    text(
                        "Thank you! Your vote has been counted. Votes left today: %(remaining)s.",
                        remaining=vote.remaining,
                    ),
                ]
                return redirect(request.path)
        except VotingError as error:
            if error.status == 429:
                limited = error
            elif action != "send_code" and error.code not in ("invalid_code", "invalid_phone"):
                request.session[RESULT_KEY] = [False, error.message]
                return redirect(request.path)
            context["error"] = error.message
            context["phone"] = request.POST.get("phone", "")[:20]
            context["code_sent"] = action == "verify"
    result = request.session.pop(RESULT_KEY, None)
    if result:
        context["result_ok"], context["result"] = result
    if voter is not None:
        context["voter_line"] = text(
            "You are voting as %(phone)s. Votes left today: %(remaining)s.",
            phone=voter.masked_phone,
            remaining=casting.remaining_today(campaign, voter),
        )
    context["captcha_form"] = CaptchaForm() if needs_captcha(request) else None
    context["labels"] = {
        key: text(msgid)
        for key, msgid in {
            "phone": "Mobile number",
            "send": "Send code",
            "code": "Code",
            "verify": "Verify and vote",
            "confirm": "Confirm my vote",
            "back": "Back to the candidate",
            "intro": "Your number is verified once; after that each vote is one tap.",
        }.items()
    }
    context["title"] = text("Vote for %(name)s", name=candidate.title)
    response = TemplateResponse(request, "voting/vote_page.html", context)
    if limited is not None:
        response.status_code = 429
        response["Retry-After"] = str(int(limited.retry_after or 60))
    return response
