"""/api/v1/: the JSON API (outside i18n_patterns; the language comes from Accept-Language)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from voting import api

app_name = "api"

urlpatterns = [
    path("campaigns/current/", api.CurrentCampaignView.as_view(), name="current_campaign"),
    path("candidates/", api.CandidateListView.as_view(), name="candidates"),
    path("candidates/<str:candidate_id>/", api.CandidateDetailView.as_view(), name="candidate"),
    path("voter/", api.VoterView.as_view(), name="voter"),
    path("voter/code/", api.VoterCodeView.as_view(), name="voter_code"),
    path("voter/session/", api.VoterSessionView.as_view(), name="voter_session"),
    path("votes/", api.VoteView.as_view(), name="votes"),
    path("leaderboard/", api.LeaderboardView.as_view(), name="leaderboard"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^.*$", api.UnknownView.as_view(), name="unknown"),
]
