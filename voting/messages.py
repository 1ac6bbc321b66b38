"""The refusals a voter can meet, with their machine codes (DESIGN.md §6) and texts.

Texts are English msgids through gettext (the zh_Hans catalogue has the Chinese); ``text``
looks them up at run time, so they are listed in ``MSGIDS`` for makemessages.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def text(msgid, **params):
    """``gettext(msgid) % params`` in the active language."""
    translated = _(msgid)
    return translated % params if params else translated


MSGIDS = (
    gettext_noop("Enter a mainland mobile number: 11 digits starting with 1."),
    gettext_noop("The code is wrong, has expired or was already used. Ask for a new one."),
    gettext_noop("Too many requests. Please try again later."),
    gettext_noop("The request is not valid."),
    gettext_noop("Verify your mobile number before voting."),
    gettext_noop("Voting is closed. It runs from %(start)s to %(end)s."),
    gettext_noop("There is no such candidate."),
    gettext_noop("You have already voted for this candidate today. Come back tomorrow."),
    gettext_noop("You have used all of today's %(limit)s votes. Come back tomorrow."),
    gettext_noop("The service is busy. Please try again in a moment."),
    gettext_noop("There is no campaign yet."),
    gettext_noop("Not found."),
    gettext_noop("Voted today"),
    gettext_noop("The security check failed: reload the page and try again."),
    gettext_noop("Thank you! Your vote has been counted. Votes left today: %(remaining)s."),
    gettext_noop("A code has been sent to %(phone)s."),
    gettext_noop("Enter the characters in the picture."),
    gettext_noop("Vote"),
    gettext_noop("Vote for %(name)s"),
    gettext_noop("Mobile number"),
    gettext_noop("Send code"),
    gettext_noop("Code"),
    gettext_noop("Verify and vote"),
    gettext_noop("Confirm my vote"),
    gettext_noop("Back to the candidate"),
    gettext_noop("Your number is verified once; after that each vote is one tap."),
    gettext_noop("You are voting as %(phone)s. Votes left today: %(remaining)s."),
)


class VotingError(Exception):
    """A refusal with its HTTP status, machine code and message (and optional Retry-After)."""

    def __init__(self, status, code, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = str(message)
        self.retry_after = retry_after


def invalid_request():
    return VotingError(400, "invalid_request", text("The request is not valid."))


def not_authenticated():
    return VotingError(401, "not_authenticated", text("Verify your mobile number before voting."))


def too_many_requests(retry_after=60):
    return VotingError(
        429, "too_many_requests", text("Too many requests. Please try again later."), retry_after
    )


def busy():
    return VotingError(
        503, "busy", text("The service is busy. Please try again in a moment."), retry_after=2
    )
