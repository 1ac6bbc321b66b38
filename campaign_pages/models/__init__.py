"""Page types of the topic portal; one module per topic."""

from campaign_pages.models.article import ArticlePage
from campaign_pages.models.campaign import (
    CampaignPage,
    CampaignPhase,
    PhaseKey,
)
from campaign_pages.models.home import HomePage
from campaign_pages.models.navigation import MenuTitleMixin
from campaign_pages.models.places import Community, Street
from campaign_pages.models.residence import ResidenceIndexPage, ResidencePage
from campaign_pages.models.site_settings import SiteIdentity
from campaign_pages.models.winners import OrganisationAward, Winner, WinnersPage

__all__ = [
    "ArticlePage",
    "CampaignPage",
    "CampaignPhase",
    "Community",
    "HomePage",
    "MenuTitleMixin",
    "OrganisationAward",
    "PhaseKey",
    "ResidenceIndexPage",
    "ResidencePage",
    "SiteIdentity",
    "Street",
    "Winner",
    "WinnersPage",
]
