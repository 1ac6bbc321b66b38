"""The street inspection's checklist: 物防, 技防 and 人防 items with their maximum scores.

评选办法 第四条 and 第九条: the award rests on 物防, 技防 and 人防 and on crime control; the
facilities are judged by on-site inspection and the ledgers. This is the one place that names
the items and their maxima; the inspection form, its validation, the stored scores
(``Inspection.checklist_scores``, keyed by item) and the inspection score (0–100) all read
it. The maxima add up to 100 so an inspector's total reads as a mark out of 100.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    max_score: int


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    items: tuple

    @property
    def max_score(self):
        return sum(item.max_score for item in self.items)


CHECKLIST = (
    Section(
        "physical",
        _("Physical security (物防)"),
        (
            Item("perimeter", _("Closed perimeter wall or fence in good repair"), 10),
            Item("gates", _("Gates and guard room staffed and controlled"), 10),
            Item("unit_doors", _("Secure doors at building entrances"), 5),
            Item("lighting", _("Lighting of paths, car parks and entrances"), 5),
        ),
    ),
    Section(
        "technical",
        _("Technical security (技防)"),
        (
            Item("cameras", _("Surveillance cameras cover entrances and public areas"), 15),
            Item("access_control", _("Access control at the entrances"), 10),
            Item("alarms", _("Intrusion alarms"), 5),
            Item("vehicle_barrier", _("Vehicle barrier with number-plate recognition"), 5),
            Item("control_room", _("Monitoring room with recordings kept 30 days"), 5),
        ),
    ),
    Section(
        "personnel",
        _("Personnel security (人防)"),
        (
            Item("guards", _("Security guards sufficient for the community"), 10),
            Item("duty", _("24-hour duty at the main gate"), 5),
            Item("patrols", _("Patrols carried out and logged"), 10),
            Item("visitor_log", _("Visitors and rental tenants registered"), 5),
        ),
    ),
)

ITEMS = {item.key: item for section in CHECKLIST for item in section.items}
MAX_TOTAL = sum(section.max_score for section in CHECKLIST)


def field_name(item):
    """The inspection form's field for one checklist item."""
    return f"check_{item.key}"
