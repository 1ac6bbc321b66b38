"""Proving a number: one-time codes by SMS, then a signed token (app) or a session (web)."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaign_pages.phones import mask_phone, normalize_phone
from campaign_pages.sms import SMSDeliveryError, send_sms
from voting import clients
from voting.messages import VotingError, busy, text, too_many_requests
from voting.models import PhoneCode, Voter
from voting.models.voters import keyed_hash

logger = logging.getLogger("pingan.voting")

TOKEN_SALT = "voting.voter-token"
SESSION_KEY = "voting_voter_id"


def clean_phone(value):
    try:
        return normalize_phone(value if isinstance(value, str) else "")
    except Exception as error:  # ValidationError
        raise VotingError(
            400,
            "invalid_phone",
            text("Enter a mainland mobile number: 11 digits starting with 1."),
        ) from error


def sms_text(code):
    with translation.override("zh-hans"):
        # Translators: 【平安小区】您的投票验证码是%(code)s，%(minutes)s分钟内有效。请勿告诉他人。
        message = _(
            "[Safe Communities] Your voting code is %(code)s. It is valid for %(minutes)s "
            "minutes. Do not share it."
        )
    return message % {"code": code, "minutes": settings.VOTE_CODE_TTL // 60}


def send_code(request, raw_phone):
    """Send a code to a number; raise ``VotingError`` (400 invalid_phone, 429)."""
    phone = clean_phone(raw_phone)
    phone_hash = keyed_hash(phone)
    client_hash = clients.fingerprint(request)["client_hash"]
    now = timezone.now()
    last = (
        PhoneCode.objects.filter(phone_hash=phone_hash)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last and (now - last).total_seconds() < settings.VOTE_CODE_RESEND_SECONDS:
        wait = settings.VOTE_CODE_RESEND_SECONDS - int((now - last).total_seconds())
        raise too_many_requests(retry_after=max(wait, 1))
    if clients.over_limit(
        request, "voting.code.client", client_hash, settings.VOTE_CODES_PER_CLIENT
    ) or clients.over_limit(
        request, "voting.code.number", phone_hash, settings.VOTE_CODES_PER_NUMBER
    ):
        raise too_many_requests(retry_after=3600)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        phone_hash=phone_hash,
        code_hash=keyed_hash(f"{phone}:{code}", "code"),
        client_hash=client_hash,
        expires_at=now + timedelta(seconds=settings.VOTE_CODE_TTL),
    )
    try:
        send_sms(phone, sms_text(code))
    except SMSDeliveryError as error:
        # The code row stays (it expires); the voter is told to try again shortly.
        logger.warning("voting code not delivered: %s", error)
        raise busy() from error
    return phone


def verify_code(request, raw_phone, raw_code):
    """The ``Voter`` whose number this code proves; raise ``VotingError`` otherwise."""
    invalid = VotingError(
        400,
        "invalid_code",
        text("The code is wrong, has expired or was already used. Ask for a new one."),
    )
    phone = clean_phone(raw_phone)
    if not isinstance(raw_code, str | int) or isinstance(raw_code, bool):
        raise invalid
    code = str(raw_code).strip()
    client_hash = clients.fingerprint(request)["client_hash"]
    if clients.over_limit(
        request, "voting.session.client", client_hash, settings.VOTE_SESSIONS_PER_CLIENT
    ):
        raise too_many_requests(retry_after=3600)
    now = timezone.now()
    phone_hash = keyed_hash(phone)
    candidate = (
        PhoneCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if candidate is None or candidate.attempts >= settings.VOTE_CODE_ATTEMPTS:
        raise invalid
    expected = keyed_hash(f"{phone}:{code}", "code")
    if not secrets.compare_digest(expected, candidate.code_hash):
        PhoneCode.objects.filter(pk=candidate.pk).update(attempts=F("attempts") + 1)
        raise invalid
    # Single use, even against two requests racing with the same code.
    if not PhoneCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(used_at=now):
        raise invalid
    return Voter.for_phone(phone)


def issue_token(voter):
    expires_at = timezone.now() + timedelta(days=settings.VOTER_TOKEN_DAYS)
    return signing.dumps({"v": voter.pk}, salt=TOKEN_SALT, compress=True), expires_at


def voter_id_from_token(token):
    """The voter id a valid, unexpired token was issued for (no query), or None."""
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=timedelta(days=settings.VOTER_TOKEN_DAYS)
        )
    except signing.BadSignature:
        return None
    voter_id = data.get("v") if isinstance(data, dict) else None
    return voter_id if isinstance(voter_id, int) and not isinstance(voter_id, bool) else None


def voter_from_token(token):
    voter_id = voter_id_from_token(token)
    return Voter.objects.filter(pk=voter_id).first() if voter_id else None


def start_session(request, voter):
    request.session.cycle_key()
    request.session[SESSION_KEY] = voter.pk


def voter_id_from_session(request):
    """The voter id this web session was verified for (no query), or None."""
    voter_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return voter_id if isinstance(voter_id, int) and not isinstance(voter_id, bool) else None


def voter_from_session(request):
    voter_id = voter_id_from_session(request)
    return Voter.objects.filter(pk=voter_id).first() if voter_id else None


def masked(phone):
    return mask_phone(phone)
