from voting.models.leaderboard import LeaderboardPage
from voting.models.rules import VotingRules
from voting.models.voters import PhoneCode, Voter
from voting.models.votes import FinalResult, Tally, Vote, VoterDay

__all__ = [
    "FinalResult",
    "LeaderboardPage",
    "PhoneCode",
    "Tally",
    "Vote",
    "Voter",
    "VoterDay",
    "VotingRules",
]
