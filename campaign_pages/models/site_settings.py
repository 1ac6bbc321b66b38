"""Site-wide settings editors change without a deployment."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """What the footer and share cards say about the site and who runs it.

    Mainland sites show their ICP filing number in the footer; the default share image is
    used by WeChat and Weibo when a page has none of its own.
    """

    publisher = models.CharField(
        _("publisher"), max_length=80, default="温州网", help_text=_("Shown in the footer.")
    )
    icp_number = models.CharField(
        _("ICP filing number"), max_length=60, blank=True, help_text=_("E.g. 浙ICP备XXXXXXXX号")
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("publisher"), FieldPanel("icp_number"), FieldPanel("share_image")]

    class Meta:
        verbose_name = _("site identity")
