import pytest
from django.contrib.auth.models import Group, User

from campaign_pages.models import Community
from registrations.models import Registration, RegistrationPage

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
