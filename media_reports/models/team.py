"""The citizen monitoring group (市民监督团) and the online personalities invited along."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index


class MonitorMember(index.Indexed, models.Model):
    """A member of the 市民监督团 or an invited personality (网络达人) who reports on the campaign.

    A snippet, kept by the editors; reports name their reporters from this list, and each
    member has a public page on every report index (``team/<id>/``) listing their reports.
    """

    class Role(models.TextChoices):
        MONITOR = "monitor", _("Citizen monitor")
        PERSONALITY = "personality", _("Invited personality")
        JOURNALIST = "journalist", _("Journalist")

    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MONITOR)
    affiliation = models.CharField(
        _("affiliation"), max_length=80, blank=True, help_text=_("E.g. 温州网 or a Weibo handle.")
    )
    bio = models.TextField(_("short biography"), max_length=500, blank=True)
    bio_en = models.TextField(_("English biography"), max_length=500, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("role"), FieldPanel("affiliation")]),
        FieldPanel("bio"),
        FieldPanel("bio_en"),
        FieldPanel("photo"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("monitor team member")
        verbose_name_plural = _("monitor team")

    def __str__(self):
        return self.name

    @property
    def local_name(self):
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def local_bio(self):
        if translation.get_language() == "en" and self.bio_en:
            return self.bio_en
        return self.bio
