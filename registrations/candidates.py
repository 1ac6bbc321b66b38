"""What shortlisting a registration sets up: the draft candidate page and the community account."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Site

from campaign_pages.models import ResidenceIndexPage, ResidencePage
from campaign_pages.sms import SMSDeliveryError, send_sms
from registrations.workflow import ensure_residence_workflow

logger = logging.getLogger("pingan.registrations")

COMMUNITY_GROUP = "社区账号"


def draft_residence_page(registration):
    """The candidate's page, as a draft under the campaign's candidate list (made if missing)."""
    if registration.residence_id:
        return registration.residence
    campaign = registration.campaign
    index = ResidenceIndexPage.objects.child_of(campaign).first()
    if index is None:
        index = ResidenceIndexPage(title=_("Candidates"), slug="candidates")
        campaign.add_child(instance=index)
        ensure_residence_workflow([index])
    page = ResidencePage(
        title=registration.residence_name,
        slug=slugify(registration.reference),
        street=registration.street,
        community=registration.community,
        address=registration.address,
        property_company=registration.property_company,
        households=registration.households,
        summary=f"<p>{registration.description}</p>" if registration.description else "",
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


def community_account(registration):
    """The community's front-end account: made with no usable password, to be set by invitation."""
    if registration.account_id:
        return registration.account, False
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=registration.reference.lower(),
        defaults={"first_name": registration.residence_name[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_GROUP)[0])
    return user, created


def invitation_url(user):
    """A one-time link to set the account's password (valid PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "community:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    site = Site.objects.filter(is_default_site=True).first()
    return f"{site.root_url}{path}" if site else path


def send_invitation(registration, user):
    text = _(
        "[Wenzhou Net] %(name)s has been shortlisted. Your account name is %(username)s; set "
        "its password here: %(url)s"
    ) % {
        "name": registration.residence_name,
        "username": user.username,
        "url": invitation_url(user),
    }
    try:
        send_sms(registration.contact_phone, text)
    except SMSDeliveryError as error:
        # The shortlisting stands; the failure is logged for the district office to follow up.
        logger.warning("invitation for %s not delivered: %s", registration.reference, error)
