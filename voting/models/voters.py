"""Voters (verified mobile numbers, kept as a keyed hash) and their one-time codes."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaign_pages.crypto import EncryptedCharField
from campaign_pages.phones import mask_phone


def keyed_hash(value, purpose="voter"):
    """HMAC-SHA256 of ``value`` under ``VOTER_HASH_KEY``: stable, not reversible without the key."""
    key = f"{settings.VOTER_HASH_KEY}:{purpose}".encode()
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()


class Voter(models.Model):
    """A person who voted, identified by a verified mainland mobile number.

    Lookups go through ``phone_hash`` (a keyed hash of the normalised number); the number
    itself is kept encrypted only so the district office can see it masked.
    """

    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedCharField(_("phone number"), blank=True, editable=False)
    created_at = models.DateTimeField(_("verified first at"), auto_now_add=True)
    flagged = models.BooleanField(_("flagged"), default=False, db_index=True)
    flag_reason = models.CharField(_("why flagged"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")

    def __str__(self):
        return self.masked_phone

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @classmethod
    def for_phone(cls, phone):
        voter, _created = cls.objects.get_or_create(
            phone_hash=keyed_hash(phone), defaults={"phone": phone}
        )
        return voter


class PhoneCode(models.Model):
    """A one-time code sent by SMS to prove a number: expires, single use, few attempts."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")

    def __str__(self):
        return f"code {self.pk}"
