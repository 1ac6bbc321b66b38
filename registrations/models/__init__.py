"""Registrations and the page that carries the registration form."""

from registrations.models.notice import (
    Objection,
    ObjectionChange,
    ObjectionEvidence,
    ProposedCandidate,
    PublicNoticePage,
)
from registrations.models.page import RegistrationPage
from registrations.models.registration import Registration, RegistrationPhoto, StatusChange
from registrations.models.uploads import Moderation, ResidencePhoto, ResidenceVideo

__all__ = [
    "Moderation",
    "Objection",
    "ObjectionChange",
    "ObjectionEvidence",
    "ProposedCandidate",
    "PublicNoticePage",
    "Registration",
    "RegistrationPage",
    "RegistrationPhoto",
    "ResidencePhoto",
    "ResidenceVideo",
    "StatusChange",
]
