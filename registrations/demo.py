"""Demo registrations for ``load_demo``: 38 invented communities in every status.

Every name here is invented for the demo (no real residential community is meant), and the
contact numbers are drawn at random when a row is first made: no phone number is written in
the repository.
"""

import random
import secrets

from campaign_pages.models import Community, ResidencePage
from registrations.models import PublicNoticePage, Registration, RegistrationPage
from registrations.notice import NOTICE_SLUG, NOTICE_TITLE

FORM_TITLE = "鹿城区“平安小区”评选活动报名表"
FORM_INTRO = (
    "<p>由小区业主委员会自荐或小区所在社区推荐，扫码即可用手机在线填写报名表。"
    "请如实填写，带 * 的为必填项。</p>"
)
FORM_INTRO_EN = (
    "<p>A residential community is put forward by its owners' committee or by its 社区. "
    "Fill in the form on your phone; all fields are required unless marked optional.</p>"
)
NAME_HEADS = ["锦绣", "江滨", "翠微", "书香", "紫荆", "春晖", "瓯江", "银杏", "松风", "桂园"]
NAME_TAILS = ["花园", "家园", "新村", "公寓", "雅苑"]
# (status, how many) — every status of the flow appears in the demo.
STATUS_PLAN = [
    (Registration.Status.SUBMITTED, 8),
    (Registration.Status.UNDER_REVIEW, 6),
    (Registration.Status.NOT_SHORTLISTED, 5),
    (Registration.Status.SHORTLISTED, 4),
    (Registration.Status.CANDIDATE, 7),
]
# The selection proposes ten winners, so the demo needs more than ten candidates; these extra
# ones sit in the first two streets, whose demo street offices inspect several each.
EXTRA_NAMES = [
    "明珠花园",
    "和平家园",
    "南塘新村",
    "绿洲公寓",
    "学院雅苑",
    "水心家园",
    "百里花园",
    "信河新村",
]
TURN_DOWN_REASON = "出租房流动人口登记台帐不完整，待整改后可参加下一年度评选。"


def demo_phone():
    # Random, made when the row is first created; shown masked everywhere.
    return "19" + "".join(secrets.choice("0123456789") for _ in range(9))


def build_demo_registrations(builder, campaign):
    page = registration_page(builder, campaign)
    communities = list(
        Community.objects.select_related("street").order_by("street__sort_order", "name")
    )
    rng = random.Random(2016)  # the same invented facts on every machine
    plan = [status for status, count in STATUS_PLAN for _ in range(count)]
    for number, status in enumerate(plan):
        community = communities[(number * 5) % len(communities)]
        name = f"{NAME_HEADS[number % 10]}{NAME_TAILS[(number // 10 + number) % 5]}"
        if Registration.objects.filter(
            campaign=campaign, street=community.street, residence_name=name
        ).exists():
            continue
        registration = make_registration(rng, campaign, community, name, number)
        advance(registration, status)
        builder.changes.append(f"registration {registration.reference} ({status})")
    two_streets = list(dict.fromkeys(c.street_id for c in communities))[:2]
    # Not in each street's first 社区: the demo reports name a residence of those.
    pools = [[c for c in communities if c.street_id == sid][1:] for sid in two_streets]
    for k, name in enumerate(EXTRA_NAMES):
        pool = pools[k % 2]
        community = pool[(k // 2) % len(pool)]
        if Registration.objects.filter(
            campaign=campaign, street=community.street, residence_name=name
        ).exists():
            continue
        registration = make_registration(rng, campaign, community, name, len(plan) + k)
        advance(registration, Registration.Status.CANDIDATE)
        builder.changes.append(f"registration {registration.reference} (candidate)")
    publish_candidates(builder, campaign)
    return page


def registration_page(builder, campaign):
    page = RegistrationPage.objects.child_of(campaign).first()
    if page is None:
        page = RegistrationPage(title=FORM_TITLE, slug="register")
        campaign.add_child(instance=page)
        builder.changes.append("registration page")
    builder.update(page, intro=FORM_INTRO, show_in_menus=True, menu_title="在线报名")
    en = builder.locales()[1]
    builder.translate(
        page, en, title="Registration form", intro=FORM_INTRO_EN, menu_title="Register"
    )
    return page


def make_registration(rng, campaign, community, name, number):
    households = rng.randrange(120, 1600)
    floating = rng.randrange(20, 400)
    return Registration.objects.create(
        campaign=campaign,
        residence_name=name,
        address=f"{community.street.name}{name}路{number + 1}号（虚构地址）",
        street=community.street,
        community=community,
        property_company=rng.choice(["", "鹿城示例物业服务有限公司", "瓯江示例物业管理有限公司"]),
        year_built=rng.randrange(1995, 2015),
        households=households,
        residents=households * 3,
        rental_households=rng.randrange(10, households // 3),
        floating_population=floating,
        floating_registered=floating - rng.randrange(0, max(1, floating // 25)),
        cameras=rng.randrange(20, 300),
        access_control=True,
        intrusion_alarm=rng.random() < 0.6,
        vehicle_barrier=rng.random() < 0.8,
        perimeter_wall=True,
        gates=rng.randrange(1, 5),
        guard_room=True,
        guards=rng.randrange(4, 30),
        patrols_per_day=rng.randrange(2, 12),
        duty_24h=True,
        satisfaction_rate=rng.randrange(90, 100),
        declares_no_serious_crime=True,
        declares_security_in_place=True,
        declares_rental_registration=True,
        declares_satisfaction=True,
        declares_no_yellow_card=True,
        recommended_by=rng.choice(Registration.RecommendedBy.values),
        recommender_name=f"{community.name}居民委员会" if number % 2 else f"{name}业主委员会",
        contact_name=f"{'王李张刘陈杨黄赵'[number % 8]}先生（虚构）",
        contact_phone=demo_phone(),
        description="小区实行封闭式管理，门岗24小时值守，监控全覆盖，定期开展消防演练。（演示数据）",
    )


def advance(registration, status):
    """Walk a new registration through the flow up to ``status``, as the panel would."""
    registration.status_changes.create(old_status="", new_status=Registration.Status.SUBMITTED)
    if status == Registration.Status.SUBMITTED:
        return
    registration.start_review(None)
    if status == Registration.Status.NOT_SHORTLISTED:
        registration.turn_down(None, TURN_DOWN_REASON)
    elif status in (Registration.Status.SHORTLISTED, Registration.Status.CANDIDATE):
        registration.shortlist(None, "符合参评条件。", invite=False)
        if status == Registration.Status.CANDIDATE:
            registration.residence.save_revision().publish()  # the signal makes it a candidate


def publish_candidates(builder, campaign):
    """Give each published candidate page its English translation (names stay Chinese)."""
    en = builder.locales()[1]
    for page in ResidencePage.objects.live().descendant_of(campaign):
        if page.get_translation_or_none(en) is None:
            builder.translate(page, en, title=page.title)


NOTICE_INTRO = (
    "<p>根据《鹿城区“平安小区”评选办法》第八条，现将拟评“十佳平安小区”名单予以公示。"
    "公示期间，对名单有异议的，可实名提出并提供事实依据。</p>"
)
NOTICE_INTRO_EN = (
    "<p>Under article 8 of the rules, the proposed Top Ten Safe Residential Communities are "
    "published for public notice. During the notice period anyone may object, under their "
    "real name and with the facts.</p>"
)


def build_demo_notice(builder, campaign):
    """The public-notice page, empty: the selection's demo fills it for its phases."""
    page = PublicNoticePage.objects.child_of(campaign).first()
    if page is None:
        page = PublicNoticePage(title=NOTICE_TITLE, slug=NOTICE_SLUG)
        campaign.add_child(instance=page)
        builder.changes.append("public notice page")
    builder.update(page, intro=NOTICE_INTRO, show_in_menus=True, menu_title="公示")
    en = builder.locales()[1]
    builder.translate(
        page, en, title="Public notice of the proposed winners", intro=NOTICE_INTRO_EN,
        menu_title="Public notice",
    )  # fmt: skip
    return page
