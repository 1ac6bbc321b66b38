"""The page that carries the registration form, its status links, QR codes and poster."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from campaign_pages.models import CampaignPage, MenuTitleMixin
from campaign_pages.qr import QRCodeMixin, asset_response
from campaign_pages.search import SEGMENTS_FIELD, SegmentedSearchMixin
from registrations.models.registration import Registration, RegistrationPhoto

DEFAULT_PRIVACY_NOTICE = _(
    "We collect the community's details, the contact person's name and mobile number and the "
    "photos you send, only to run this campaign. The mobile number is stored encrypted, shown "
    "masked to the panel and in full only to the district office, and deleted after the "
    "campaign's retention date."
)


class RegistrationPage(MenuTitleMixin, QRCodeMixin, RoutablePageMixin, SegmentedSearchMixin, Page):
    """The online registration form (报名表) of a campaign, reached by scanning a QR code.

    Open only while the campaign's ``registration`` phase is open. Besides the form it serves
    the registrant's private status page (``status/<token>/``), the correction form while the
    registration is still ``submitted``, the QR code of its own URL (``qr.png``, ``qr.svg``)
    and the A4 poster communities print (``poster.png``).
    """

    accepts_post = True  # the form and the correction form (limited, see views)

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    privacy_notice = RichTextField(
        _("privacy notice"),
        blank=True,
        features=["bold", "link"],
        help_text=_("What is collected and for how long. A default text is shown when empty."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("menu_title"),
        FieldPanel("intro"),
        FieldPanel("privacy_notice"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), SEGMENTS_FIELD]

    parent_page_types = ["campaign_pages.CampaignPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("registration form")
        verbose_name_plural = _("registration forms")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["now"] = timezone.now()
        context["default_privacy_notice"] = DEFAULT_PRIVACY_NOTICE
        return context

    @property
    def campaign(self):
        return CampaignPage.objects.ancestor_of(self).first().specific

    # -- the form -------------------------------------------------------------------------

    @path("")
    def form_view(self, request):
        # Imported here: forms and ratelimits import the models, which import this module.
        from registrations import ratelimits
        from registrations.forms import RegistrationForm

        campaign = self.campaign
        phase = campaign.phase("registration")
        if not campaign.phase_is_open("registration"):
            return self.render_closed(request, campaign, phase)
        needs_captcha = ratelimits.needs_captcha(request)
        if request.method == "POST":
            if ratelimits.submissions_exceeded(request):
                return ratelimits.too_many_requests(request, self)
            form = RegistrationForm(
                request.POST, request.FILES, campaign=campaign, captcha=needs_captcha
            )
            if form.is_valid():
                registration = self.save_registration(form, campaign)
                return TemplateResponse(
                    request,
                    "registrations/registration_thanks.html",
                    self.get_context(request) | {"registration": registration},
                )
            ratelimits.count_failed_attempt(request)
            status = 400
        else:
            form = RegistrationForm(campaign=campaign, captcha=needs_captcha)
            status = 200
        return TemplateResponse(
            request,
            "registrations/registration_page.html",
            self.get_context(request) | {"form": form, "campaign": campaign, "phase": phase},
            status=status,
        )

    def render_closed(self, request, campaign, phase):
        return TemplateResponse(
            request,
            "registrations/registration_closed.html",
            self.get_context(request) | {"campaign": campaign, "phase": phase},
        )

    @staticmethod
    def save_registration(form, campaign):
        """Save the registration and its photos together, or nothing at all."""
        with transaction.atomic():
            registration = form.save(commit=False)
            registration.campaign = campaign
            registration.save()
            registration.status_changes.create(
                old_status="", new_status=Registration.Status.SUBMITTED
            )
            for photo in form.cleaned_data.get("photos") or []:
                RegistrationPhoto.objects.create(registration=registration, image=photo)
        return registration

    # -- the registrant's private status link ---------------------------------------------

    def registration_for(self, token):
        return get_object_or_404(
            Registration.objects.select_related("street", "community", "campaign"),
            status_token=token,
            campaign__in=CampaignPage.objects.ancestor_of(self),
        )

    def correction_open(self, registration):
        """Corrections are taken while the registration waits for review and the phase is open."""
        return registration.can_be_corrected and self.campaign.phase_is_open("registration")

    def render_status(self, request, registration, corrected=False):
        # A private link: never in the shared page cache, nor in a proxy's or CDN's.
        response = TemplateResponse(
            request,
            "registrations/registration_status.html",
            self.get_context(request)
            | {
                "registration": registration,
                "history": registration.status_changes.all(),
                "can_correct": self.correction_open(registration),
                "corrected": corrected,
            },
        )
        patch_cache_control(response, private=True, no_store=True)
        return response

    @re_path(r"^status/(?P<token>[A-Za-z0-9_-]{20,64})/$")
    def status_view(self, request, token):
        return self.render_status(request, self.registration_for(token))

    @re_path(r"^status/(?P<token>[A-Za-z0-9_-]{20,64})/edit/$")
    def edit_view(self, request, token):
        from registrations.forms import RegistrationForm

        registration = self.registration_for(token)
        campaign = self.campaign
        if not self.correction_open(registration):
            return TemplateResponse(
                request,
                "registrations/registration_locked.html",
                self.get_context(request) | {"registration": registration},
                status=403,
            )
        if request.method == "POST":
            from django.conf import settings

            from campaign_pages import ratelimits

            rate = settings.REGISTRATION_EDIT_RATE
            if ratelimits.exceeded(request, "registrations.edit", rate):
                return ratelimits.too_many_requests(request, rate)
        form = RegistrationForm(
            request.POST or None, instance=registration, campaign=campaign, captcha=False
        )
        if request.method == "POST" and form.is_valid():
            form.save()
            return self.render_status(request, registration, corrected=True)
        return TemplateResponse(
            request,
            "registrations/registration_page.html",
            self.get_context(request)
            | {"form": form, "campaign": campaign, "editing": registration},
            status=400 if request.method == "POST" else 200,
        )

    # -- QR codes and poster --------------------------------------------------------------

    has_poster = True

    def serve_asset(self, request, name):
        if name == "poster.png":
            from registrations.poster import registration_poster

            poster = registration_poster(self, self.campaign)
            return asset_response(poster, "image/png", f"poster-{self.slug}.png")
        return super().serve_asset(request, name)
