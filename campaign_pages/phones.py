"""Mainland mobile numbers: validation, normalisation and the masked form shown everywhere.

Every app that takes a phone number (registrations, sign-ups, objections, voters) uses these,
so a number is accepted, stored and shown the same way across the site.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 11 digits starting with 1 and a second digit 3–9 (the mainland mobile ranges).
MOBILE_NUMBER = re.compile(r"^1[3-9]\d{9}$")
# What people type around the digits: spaces, hyphens, a +86 / 0086 prefix.
NOISE = re.compile(r"[\s\-()]")


def normalize_phone(value):
    """The bare 11 digits of a mainland mobile number, or raise ``ValidationError``."""
    digits = NOISE.sub("", str(value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not MOBILE_NUMBER.match(digits):
        raise ValidationError(
            _("Enter a mainland mobile number: 11 digits starting with 1."), code="invalid_phone"
        )
    return digits


def mask_phone(value):
    """138****1234: enough to recognise a number, not enough to call it."""
    value = str(value or "")
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


class MobilePhoneField(forms.CharField):
    """A form field that accepts a mainland mobile number and cleans it to 11 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel", "type": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value
