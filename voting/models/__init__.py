from voting.models.inspections import (
    Inspection,
    InspectionPhoto,
    StreetOfficer,
    StreetSubmission,
)
from voting.models.leaderboard import LeaderboardPage
from voting.models.rules import VotingRules
from voting.models.selection import (
    OrganisationAwardChoice,
    PanelScore,
    ScoringCriterion,
    SelectionRecord,
    SelectionRules,
)
from voting.models.voters import PhoneCode, Voter
from voting.models.votes import FinalResult, Tally, Vote, VoterDay

__all__ = [
    "FinalResult",
    "Inspection",
    "InspectionPhoto",
    "LeaderboardPage",
    "OrganisationAwardChoice",
    "PanelScore",
    "PhoneCode",
    "ScoringCriterion",
    "SelectionRecord",
    "SelectionRules",
    "StreetOfficer",
    "StreetSubmission",
    "Tally",
    "Vote",
    "Voter",
    "VoterDay",
    "VotingRules",
]
