from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from campaign_pages.models import Community, ResidencePage
from registrations.models import Objection, PublicNoticePage, Registration, RegistrationPage

FORM_URL = "/2016/register/"


@pytest.fixture
def form_page(campaign):
    return RegistrationPage.objects.child_of(campaign).get()


@pytest.fixture
def community(db):
    return Community.objects.select_related("street").get(name="松台二社区")


@pytest.fixture
def valid_data(community):
    """A complete, eligible registration as a phone would post it."""
    return {
        "residence_name": "测试花园",
        "address": "松台街道测试路1号",
        "street": community.street.pk,
        "community": community.pk,
        "property_company": "测试物业",
        "year_built": "2008",
        "households": "600",
        "residents": "1800",
        "rental_households": "80",
        "floating_population": "200",
        "floating_registered": "196",
        "cameras": "120",
        "access_control": "on",
        "vehicle_barrier": "on",
        "perimeter_wall": "on",
        "gates": "2",
        "guard_room": "on",
        "guards": "12",
        "patrols_per_day": "6",
        "duty_24h": "on",
        "satisfaction_rate": "96",
        "declares_no_serious_crime": "on",
        "declares_security_in_place": "on",
        "declares_rental_registration": "on",
        "declares_satisfaction": "on",
        "declares_no_yellow_card": "on",
        "recommended_by": "owners_committee",
        "recommender_name": "测试花园业主委员会",
        "contact_name": "测试人",
        "contact_phone": "13912345678",
        "description": "门岗24小时值守。",
        "website": "",
    }


@pytest.fixture
def submit(client):
    def post(data, url=FORM_URL, **extra):
        return client.post(url, data, **extra)

    return post


def user_in(group_name, username):
    user = User.objects.create_user(username=username, password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def panel_user(db):
    return user_in("评审小组", "panel")


@pytest.fixture
def office_user(db):
    return user_in("区综治办", "office")


@pytest.fixture
def submitted(campaign):
    return Registration.objects.filter(campaign=campaign, status="submitted").first()


# -- the public notice (公示) and its objections ---------------------------------------------

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args):
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def notice_page(campaign):
    """The demo's public-notice page: empty, as load_demo leaves it."""
    return PublicNoticePage.objects.child_of(campaign).get()


@pytest.fixture
def proposed(campaign):
    """Three published candidates of the demo, in tree order."""
    return list(ResidencePage.objects.live().descendant_of(campaign).order_by("path")[:3])


def entries_for(residences):
    return [
        {"residence": r, "rank": n, "summary": f"考核 {96 - n} 分 · 评审 {92 - n} 分"}
        for n, r in enumerate(residences, start=1)
    ]


@pytest.fixture
def published_notice(campaign, proposed):
    """The proposed list under public notice, the period running since yesterday."""
    from registrations.notice import publish_proposed_list

    starts_at = timezone.now() - timedelta(days=1)
    return publish_proposed_list(campaign, entries_for(proposed), starts_at=starts_at)


@pytest.fixture
def make_objection():
    def make(page, candidate, **fields):
        values = {"name": "测试人", "phone": "17410000001", "facts": "台帐与实际不符。"} | fields
        return Objection.objects.create(page=page, candidate=candidate, **values)

    return make
