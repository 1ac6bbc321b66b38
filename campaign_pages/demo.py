"""The 2016 demo campaign, built from the customer's notice (``manage.py load_demo``).

Everything here is idempotent: each step looks for what it would create, compares it with
what it would write, and saves (as a published revision) only when something differs. The
notice and the rules are the seed text verbatim (``fixtures/notice-2016.zh.txt``, a copy of
the customer's file) with an English translation paired line by line.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail import hooks
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site

from campaign_pages.blocks import OrganiserBlock
from campaign_pages.models import (
    ArticlePage,
    CampaignPage,
    Community,
    HomePage,
    ResidenceIndexPage,
    SiteIdentity,
    Street,
    WinnersPage,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Phase dates of the 2016 notice (DESIGN.md §2): key, first day, last day (both inclusive).
PHASES_2016 = [
    ("preparation", date(2016, 3, 17), date(2016, 3, 24)),
    ("publicity", date(2016, 3, 17), date(2016, 3, 25)),
    ("registration", date(2016, 3, 25), date(2016, 4, 27)),
    ("voting", date(2016, 4, 14), date(2016, 4, 28)),
    ("inspection", date(2016, 4, 14), date(2016, 4, 20)),
    ("review", date(2016, 5, 1), date(2016, 5, 10)),
    ("public_notice", date(2016, 5, 11), date(2016, 5, 20)),
    ("awards", date(2016, 5, 21), date(2016, 5, 31)),
]
PHASE_KEYS = [key for key, _first, _last in PHASES_2016]

# A line that opens a section of the notice: 一、… or 总  则.
SECTION = re.compile(r"^([一二三四五六七八九十]+、|总\s*则$)")
# （一）… opens a sub-section when it is a title (no full stop at the end), not a condition.
SUBSECTION = re.compile(r"^（[一二三四五六七八九十]+）.*[^。；]$")
ATTACHMENT_MARK = "附件1"
FORM_TITLE = "鹿城区“平安小区”评选活动报名表"


# -- the seed text ---------------------------------------------------------------------------


@dataclass
class SeedText:
    """One text of the seed (the notice or its rules) in both languages, block by block."""

    title_zh: str
    title_en: str
    blocks: list = field(default_factory=list)  # (kind, text_zh, text_en)


def read_lines(name):
    # split("\n"), not splitlines(): the two files pair line N with line N, blank lines too.
    return [line.strip() for line in (FIXTURES / name).read_text(encoding="utf-8").split("\n")]


def classify(line):
    if SECTION.match(line):
        return "section"
    if SUBSECTION.match(line):
        return "subsection"
    return "paragraph"


def parse_notice():
    """Split the seed into the notice and its attachment, the rules (评选办法)."""
    zh, en = read_lines("notice-2016.zh.txt"), read_lines("notice-2016.en.txt")
    if len(zh) != len(en):
        raise ValueError("The English notice must pair line for line with the Chinese one.")
    attachment = zh.index(ATTACHMENT_MARK)
    form = zh.index(FORM_TITLE)
    rules_title = next(i for i in range(attachment + 1, form) if zh[i])
    notice = SeedText(zh[0], en[0])
    rules = SeedText(zh[rules_title], en[rules_title])
    for text, start, stop in ((notice, 1, attachment), (rules, rules_title + 1, form)):
        for i in range(start, stop):
            if zh[i]:
                text.blocks.append((classify(zh[i]), zh[i], en[i]))
    return notice, rules


def organisers_from(notice):
    """(role, name_zh, name_en) for every host and implementer named in 一、组织机构."""
    roles = {"主办单位": OrganiserBlock.HOST, "承办单位": OrganiserBlock.IMPLEMENTER}
    found = []
    for _kind, zh, en in notice.blocks:
        label, _sep, names = zh.partition("：")
        if label in roles:
            # "A, B and C": the last two are joined by "and" (which also occurs inside names).
            *names_en, last_two = en.partition(": ")[2].split(", ")
            names_en += last_two.rsplit(" and ", 1)
            for name_zh, name_en in zip(names.split("、"), names_en, strict=True):
                found.append((roles[label], name_zh, name_en))
    return found


def organisers_data(notice, language):
    """StreamField data for a campaign's organisers, in ``language``."""
    return [
        ("organiser", {"role": role, "name": zh if language == "zh" else en})
        for role, zh, en in organisers_from(notice)
    ]


def stream_data(text, language, links=()):
    """StreamField data for a seed text in ``language`` (``zh`` or ``en``)."""
    data = []
    for kind, zh, en in text.blocks:
        line = zh if language == "zh" else en
        if kind == "paragraph":
            data.append(("paragraph", f"<p>{escape(line)}</p>"))
        else:
            level = "h2" if kind == "section" else "h3"
            data.append(("heading", {"text": line, "level": level}))
    for html in links:
        data.append(("paragraph", html))
    return data


# -- phases ----------------------------------------------------------------------------------


def phase_dates(open_phase="voting", today=None):
    """The 2016 timeline shifted by whole days so that ``open_phase`` is open ``today``.

    Today falls in the middle of that phase, so the demo stays in it for a few days. Every
    phase moves by the same offset, keeping the notice's order and overlaps.
    """
    if open_phase not in PHASE_KEYS:
        raise ValueError(f"Unknown phase {open_phase!r}; choose one of {', '.join(PHASE_KEYS)}.")
    tz = timezone.get_default_timezone()
    today = today or timezone.localdate()
    first, last = next((f, la) for key, f, la in PHASES_2016 if key == open_phase)
    offset = today - (first + (last - first) // 2)
    midnight = time(0, 0)
    return [
        (
            key,
            datetime.combine(f + offset, midnight, tzinfo=tz),
            datetime.combine(la + offset + timedelta(days=1), midnight, tzinfo=tz),
        )
        for key, f, la in PHASES_2016
    ]


# Pinyin names of the district's streets and towns, for the English pages.
STREET_NAMES_EN = {
    "五马街道": "Wuma", "松台街道": "Songtai", "南郊街道": "Nanjiao", "广化街道": "Guanghua",
    "蒲鞋市街道": "Puxieshi", "大南街道": "Danan", "南汇街道": "Nanhui", "滨江街道": "Binjiang",
    "七都街道": "Qidu", "双屿街道": "Shuangyu", "仰义街道": "Yangyi", "丰门街道": "Fengmen",
    "藤桥镇": "Tengqiao", "山福镇": "Shanfu",
}  # fmt: skip
COMMUNITIES_PER_STREET = 3
RESIDENCE_INDEX_INTRO_ZH = "<p>经评审小组初步筛选进入投票环节的候选小区。</p>"
RESIDENCE_INDEX_INTRO_EN = "<p>The communities the panel shortlisted for the public vote.</p>"

WINNERS_INTRO_ZH = (
    "<p>经街道考核、评审小组评审、市民投票和10天公示，确定鹿城区“十佳平安小区”和优秀组织奖。</p>"
)
WINNERS_INTRO_EN = (
    "<p>After the street inspections, the panel's review, the public vote and ten days of "
    "public notice, the district names its Top Ten Safe Residential Communities and the "
    "awards for excellent organisation.</p>"
)


def read_streets():
    """(name, kind) of each street and town in the seed list, in its order."""
    streets = []
    for line in (FIXTURES / "lucheng-streets.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, kind = line.split("\t")
            streets.append((name.strip(), "town" if kind.strip() == "镇" else "street"))
    return streets


# -- building --------------------------------------------------------------------------------


class DemoBuilder:
    """Builds or updates the demo site; ``changes`` lists what it had to change.

    Other apps extend the demo with a function registered as a Wagtail hook::

        @hooks.register("load_demo")
        def add_demo_reports(builder, campaign):
            ...  # idempotent; append to builder.changes what was changed

    ``builder.open_phase`` is the phase the demo was asked to open, ``builder.update()``
    publishes a page only when a field differs, and ``builder.translate()`` makes or updates
    a page's English translation.
    """

    def __init__(self, open_phase="voting", today=None):
        self.open_phase = open_phase
        self.today = today
        self.changes = []
        self.notice, self.rules = parse_notice()

    @transaction.atomic
    def build(self):
        zh, en = self.locales()
        home = self.home_page(zh)
        home_en = self.translate(
            home,
            en,
            title="Safe Residential Communities",
            intro="<p>Wenzhou Net's topic site for the award of safe residential communities.</p>",
        )
        self.site(home)
        campaign = self.campaign(home)
        self.translate(
            campaign,
            en,
            title="Lucheng Safe Residential Communities 2016",
            theme="Community Safety, We Take Part",
            district="Lucheng District",
            intro=(
                "<p>Residential communities register online by scanning a QR code; a panel "
                "draws up the candidates; residents vote from their phones; street offices "
                "inspect; and the district names its Top Ten Safe Residential Communities.</p>"
            ),
            search_description=(
                "Community Safety, We Take Part: the 2016 Lucheng Safe Residential "
                "Communities campaign"
            ),
            organisers=organisers_data(self.notice, "en"),
        )
        # The notice links to the rules, its attachment, so the rules are made first; the
        # notice is then put first in the navigation.
        rules = self.article(campaign, "rules", self.rules, "评选办法")
        notice = self.article(campaign, "notice", self.notice, "活动通知", attach=rules)
        rules_en = self.translate_article(rules, en, self.rules, "Rules")
        notice_en = self.translate_article(notice, en, self.notice, "Notice", attach=rules)
        self.place_before(notice, rules)
        self.place_before(notice_en, rules_en)
        self.site_identity()
        self.places()
        index = self.residence_index(campaign)
        self.translate(index, en, title="Candidates", intro=RESIDENCE_INDEX_INTRO_EN)
        winners = self.winners_page(campaign)
        self.translate(
            winners, en, title="Results: the Top Ten Safe Residential Communities",
            intro=WINNERS_INTRO_EN, menu_title="Results",
        )  # fmt: skip
        # Later apps add their demo content (registrations, candidates, reports, votes)
        # through the "load_demo" hook: campaign_pages imports none of them.
        for step in hooks.get_hooks("load_demo"):
            step(self, campaign)
        return {"home": home, "home_en": home_en, "campaign": campaign, "notice": notice}

    # Locales, site and settings ---------------------------------------------------------

    def locales(self):
        zh, created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if created:
            self.changes.append("locale zh-hans")
        en, created = Locale.objects.get_or_create(language_code="en")
        if created:
            self.changes.append("locale en")
        return zh, en

    def tree_roots(self, zh):
        """The page tree's and the collections' roots (gone after ``manage.py flush``)."""
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(instance=Page(title="Root", slug="root", locale=zh))
            self.changes.append("page tree root")
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
            self.changes.append("collection root")
        return root

    def home_page(self, zh):
        root = self.tree_roots(zh)
        home = HomePage.objects.filter(locale=zh, depth=2).first()
        if home is None:
            # Wagtail's initial migration leaves a "Welcome" page with the slug we want.
            for page in (
                root.get_children().filter(slug="home").exclude(content_type__model="homepage")
            ):
                page.slug = f"welcome-{page.pk}"
                page.save()
            home = HomePage(title="平安小区", slug="home", locale=zh)
            root.add_child(instance=home)
            self.changes.append("home page")
        self.update(
            home,
            intro="<p>温州网“平安小区”评选专题：报名、投票、报道与评选结果。</p>",
            show_in_menus=False,
        )
        return home

    def site(self, home):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(is_default_site=True)
        wanted = {
            "hostname": "127.0.0.1",
            "port": 8000,
            "root_page_id": home.pk,
            "site_name": "平安小区",
        }
        if any(getattr(site, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(site, k, v)
            site.save()
            self.changes.append("site")
        old_welcome = Page.objects.filter(depth=2, slug__startswith="welcome-")
        if old_welcome.exists():
            for page in old_welcome:
                page.delete()
            self.changes.append("removed the default welcome page")

    def site_identity(self):
        site = Site.objects.get(is_default_site=True)
        identity = SiteIdentity.for_site(site)
        if identity.publisher != "温州网":
            identity.publisher = "温州网"
            identity.save()
            self.changes.append("site identity")

    def places(self):
        """The district's streets (from the seed) and, per street, invented 社区.

        The seed lists no 社区, so the demo invents obviously synthetic ones (五马一社区,
        五马二社区 …): they are demo data, not the district's real list.
        """
        for order, (name, kind) in enumerate(read_streets()):
            root = name.removesuffix("街道").removesuffix("镇")
            suffix = "Sub-district" if kind == "street" else "Town"
            english = f"{STREET_NAMES_EN[name]} {suffix}"
            street, created = Street.objects.get_or_create(
                name=name, defaults={"kind": kind, "name_en": english, "sort_order": order}
            )
            if created:
                self.changes.append(f"street {name}")
            for n, numeral in enumerate("一二三四五"[:COMMUNITIES_PER_STREET], start=1):
                _community, created = Community.objects.get_or_create(
                    street=street,
                    name=f"{root}{numeral}社区",
                    defaults={"name_en": f"{STREET_NAMES_EN[name]} Community {n}"},
                )
                if created:
                    self.changes.append(f"community {root}{numeral}社区")

    def winners_page(self, campaign):
        """The results page, empty until the selection confirms the winners."""
        from campaign_pages.winners import WINNERS_SLUG, WINNERS_TITLE

        page = WinnersPage.objects.child_of(campaign).first()
        if page is None:
            page = WinnersPage(title=WINNERS_TITLE, slug=WINNERS_SLUG)
            campaign.add_child(instance=page)
            self.changes.append("winners page")
        return self.update(page, show_in_menus=True, menu_title="评选结果", intro=WINNERS_INTRO_ZH)

    def residence_index(self, campaign):
        index = ResidenceIndexPage.objects.child_of(campaign).first()
        if index is None:
            index = ResidenceIndexPage(title="候选小区", slug="candidates")
            campaign.add_child(instance=index)
            self.changes.append("candidate list")
        return self.update(index, show_in_menus=True, intro=RESIDENCE_INDEX_INTRO_ZH)

    # Pages ------------------------------------------------------------------------------

    def update(self, page, **fields):
        """Set ``fields`` on a page and publish a revision, only if one of them differs."""
        differs = [name for name, value in fields.items() if self.value_of(page, name) != value]
        if differs or not page.live or page.has_unpublished_changes:
            for name, value in fields.items():
                setattr(page, name, value)
            page.save_revision().publish()
            self.changes.append(f"{page.title}: {', '.join(differs) or 'published'}")
        return page

    @staticmethod
    def value_of(page, name):
        value = getattr(page, name)
        if hasattr(value, "raw_data"):  # StreamField: compare block types and values only
            return [(block["type"], block["value"]) for block in value.raw_data]
        return value

    def campaign(self, home):
        campaign = CampaignPage.objects.child_of(home).filter(slug="2016").first()
        if campaign is None:
            campaign = CampaignPage(
                title="2016年度鹿城区平安小区评选",
                slug="2016",
                theme="小区安全 我们参与",
                year=2016,
                district="鹿城区",
            )
            home.add_child(instance=campaign)
            self.changes.append("campaign 2016")
        self.update(
            campaign,
            title="2016年度鹿城区平安小区评选",
            theme="小区安全 我们参与",
            year=2016,
            district="鹿城区",
            intro=(
                "<p>住宅小区扫码在线报名，评审小组筛选候选小区，市民手机投票，街道现场考核，"
                "评出鹿城区“十佳平安小区”。</p>"
            ),
            hero_image=self.hero_image(),
            search_description="小区安全 我们参与——2016年度鹿城区平安小区评选活动专题",
            organisers=organisers_data(self.notice, "zh"),
        )
        self.set_phases(campaign)
        # Contact data is kept for half a year after the awards, then purged.
        ends = {key: end for key, _start, end in phase_dates(self.open_phase, self.today)}
        awards_end = ends["awards"]
        self.update(campaign, contact_data_retained_until=(awards_end + timedelta(days=180)).date())
        return campaign

    def set_phases(self, campaign):
        wanted = phase_dates(self.open_phase, self.today)
        have = sorted((p.key, p.starts_at, p.ends_at) for p in campaign.phases.all())
        if have == sorted(wanted):
            return
        campaign.phases.all().delete()
        for order, (key, starts_at, ends_at) in enumerate(wanted):
            campaign.phases.create(key=key, starts_at=starts_at, ends_at=ends_at, sort_order=order)
        campaign.save_revision().publish()
        self.changes.append(f"phases ({self.open_phase} open today)")

    def article(self, campaign, slug, text, menu_title, attach=None):
        page = ArticlePage.objects.child_of(campaign).filter(slug=slug).first()
        kind = ArticlePage.Kind.NOTICE if slug == "notice" else ArticlePage.Kind.RULES
        if page is None:
            page = ArticlePage(title=text.title_zh, slug=slug, kind=kind, body=[])
            campaign.add_child(instance=page)
            self.changes.append(f"article {slug}")
        return self.update(
            page,
            title=text.title_zh,
            kind=kind,
            show_in_menus=True,
            menu_title=menu_title,
            body=stream_data(text, "zh", self.attachment_links(attach, "zh")),
        )

    def attachment_links(self, attach, language):
        if attach is None:
            return ()
        label = "附件1" if language == "zh" else "Attachment 1"
        return (f'<p>{label} <a id="{attach.pk}" linktype="page">{escape(attach.title)}</a></p>',)

    def place_before(self, page, sibling):
        page.refresh_from_db()
        sibling.refresh_from_db()
        if page.path > sibling.path:
            page.move(sibling, pos="left")
            self.changes.append(f"{page.title} placed before {sibling.title}")

    def translate(self, page, locale, **fields):
        """The page's translation in ``locale``, made if missing, with ``fields`` set."""
        translated = page.get_translation_or_none(locale)
        if translated is None:
            translated = page.copy_for_translation(locale)
            self.changes.append(f"{locale.language_code} translation of {page.title}")
        return self.update(translated.specific, **fields)

    def translate_article(self, page, locale, text, menu_title, attach=None):
        target = attach.get_translation_or_none(locale) if attach else None
        return self.translate(
            page,
            locale,
            title=text.title_en,
            show_in_menus=True,
            menu_title=menu_title,
            body=stream_data(text, "en", self.attachment_links(target, "en")),
        )

    # Media ------------------------------------------------------------------------------

    def hero_image(self):
        title = "平安小区 2016 横幅"
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image.objects.create(
                title=title,
                description="红色横幅：住宅楼群与守护盾牌图案",
                file=ImageFile(generated_banner(), name="pingan-2016-hero.png"),
            )
            self.changes.append("hero image")
        return image


def generated_banner():
    """A 1440×600 banner drawn at demo time: rooftops under a shield, no text."""
    width, height = 1440, 600
    img = PILImage.new("RGB", (width, height), "#b3261e")
    draw = ImageDraw.Draw(img)
    for y in range(height):  # a vertical gradient, red to deep red
        shade = int(0xB3 - (0xB3 - 0x7A) * y / height)
        draw.line([(0, y), (width, y)], fill=(shade, 0x26, 0x1E))
    for i, x in enumerate(range(60, width, 170)):  # a row of houses
        h = 150 + (i * 37) % 110
        draw.rectangle([x, height - h, x + 120, height], fill="#f5f1ea")
        draw.polygon(
            [(x - 10, height - h), (x + 60, height - h - 60), (x + 130, height - h)], fill="#e8dccb"
        )
        for wy in range(height - h + 25, height - 30, 45):
            draw.rectangle([x + 20, wy, x + 45, wy + 25], fill="#f2c14e")
            draw.rectangle([x + 75, wy, x + 100, wy + 25], fill="#f2c14e")
    cx, cy = width // 2, 190  # the shield
    draw.polygon(
        [
            (cx - 110, cy - 120),
            (cx + 110, cy - 120),
            (cx + 110, cy),
            (cx, cy + 120),
            (cx - 110, cy),
        ],
        fill="#ffffff",
    )
    draw.polygon(
        [
            (cx - 80, cy - 95),
            (cx + 80, cy - 95),
            (cx + 80, cy - 5),
            (cx, cy + 85),
            (cx - 80, cy - 5),
        ],
        fill="#0b5cad",
    )
    draw.line([(cx - 40, cy - 10), (cx - 5, cy + 25), (cx + 50, cy - 45)], fill="#ffffff", width=16)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer
