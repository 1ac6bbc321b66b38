"""The district's reference lists: its streets and towns (街道/镇) and their 社区.

They are snippets the district office maintains; forms offer them as choices so a street
is never misspelt, and street offices, filters and statistics all agree on one list.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class LocalNameMixin:
    """``local_name``: the English name under /en/ when there is one, the Chinese otherwise."""

    @property
    def local_name(self):
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Street(LocalNameMixin, index.Indexed, models.Model):
    """A 街道 or 镇 of the district (鹿城区 has 12 streets and 2 towns since 2015)."""

    class Kind(models.TextChoices):
        STREET = "street", _("Sub-district (街道)")
        TOWN = "town", _("Town (镇)")

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STREET)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("kind"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("street or town")
        verbose_name_plural = _("streets and towns")

    def __str__(self):
        return self.name


class Community(LocalNameMixin, index.Indexed, models.Model):
    """A 社区 (neighbourhood community) or 村居 under a street; it can recommend candidates."""

    street = models.ForeignKey(
        Street,
        verbose_name=_("street or town"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    panels = [FieldPanel("street"), FieldPanel("name"), FieldPanel("name_en")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("street_id"),
    ]

    class Meta:
        ordering = ["street__sort_order", "name"]
        verbose_name = _("community (社区)")
        verbose_name_plural = _("communities (社区)")
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="unique_community_per_street")
        ]

    def __str__(self):
        return f"{self.street.name} {self.name}"
