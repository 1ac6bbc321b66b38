"""What a campaign page is called in the campaign's navigation bar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MenuTitleMixin(models.Model):
    """A short name for the navigation bar, for pages whose title is a long headline.

    A phone shows four or five items of the bar at once; "评选办法" fits, the notice's full
    title does not. Templates use ``page.menu_title|default:page.title``.
    """

    menu_title = models.CharField(
        _("menu title"),
        max_length=20,
        blank=True,
        help_text=_("A short name for the campaign's navigation bar, e.g. 评选办法."),
    )

    class Meta:
        abstract = True
