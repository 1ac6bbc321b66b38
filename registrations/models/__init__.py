"""Registrations and the page that carries the registration form."""

from registrations.models.page import RegistrationPage
from registrations.models.registration import Registration, RegistrationPhoto, StatusChange

__all__ = ["Registration", "RegistrationPage", "RegistrationPhoto", "StatusChange"]
