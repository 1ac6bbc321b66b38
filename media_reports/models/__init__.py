"""Citizen-monitor reports, the monitor team, hazard follow-up, live coverage, field visits."""

from media_reports.models.events import EventPage, EventSignup
from media_reports.models.live import LiveCoveragePage, LiveEntry, LiveFeedState
from media_reports.models.reports import (
    HazardStatus,
    HazardUpdate,
    ReportIndexPage,
    ReportKind,
    ReportPage,
    ReportResidence,
    ReportTag,
)
from media_reports.models.team import MonitorMember

__all__ = [
    "EventPage",
    "EventSignup",
    "HazardStatus",
    "HazardUpdate",
    "LiveCoveragePage",
    "LiveEntry",
    "LiveFeedState",
    "MonitorMember",
    "ReportIndexPage",
    "ReportKind",
    "ReportPage",
    "ReportResidence",
    "ReportTag",
]
