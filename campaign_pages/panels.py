"""Admin panels of the campaign pages that show data without letting the editor change it.

The proposed list of a public notice and the winners and awards of a results page are
written by the selection (``voting.selection``) with a ``SelectionRecord`` for every step.
Editors write the text around them; an inline form for the rows would let anyone with page
rights re-rank or replace a winner outside those records, so the page editor shows them
read-only, with a link to where the district office changes them.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel


def shown(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


class SelectionRowsPanel(Panel):
    """The rows of a child relation, listed read-only with a link to the selection's screen.

    ``columns`` are ``(attribute, heading)`` pairs of each row; ``manage_url`` names the admin
    view where the rows are changed.
    """

    def __init__(self, relation, columns, manage_url, **kwargs):
        super().__init__(**kwargs)
        self.relation = relation
        self.columns = columns
        self.manage_url = manage_url

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.update(relation=self.relation, columns=self.columns, manage_url=self.manage_url)
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        template_name = "campaign_pages/admin/selection_rows_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            rows = getattr(self.instance, self.panel.relation).all()
            context["headings"] = [heading for _attribute, heading in self.panel.columns]
            context["rows"] = [
                [shown(getattr(row, attribute)) for attribute, _heading in self.panel.columns]
                for row in rows
            ]
            context["manage_url"] = reverse(self.panel.manage_url)
            return context
