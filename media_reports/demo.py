"""Demo content of the reports app, added to ``manage.py load_demo`` through its hook.

Everything is invented and labelled as demo: the team members are 演示 people, the residences
are the demo 社区 of campaign_pages, and the sign-ups' mobile numbers are in the 1741 block
(China's emergency-communications block, never issued to subscribers). Numbers are never
printed; ``builder.changes`` only counts sign-ups. Like the rest of the demo, every step looks
for what it would create and changes only what differs, so a second run changes nothing.
"""

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import GroupApprovalTask, Locale, Workflow, WorkflowPage, WorkflowTask

from campaign_pages.models import Community, ResidencePage
from media_reports.models import (
    EventPage,
    EventSignup,
    HazardStatus,
    HazardUpdate,
    LiveCoveragePage,
    LiveEntry,
    MonitorMember,
    ReportIndexPage,
    ReportKind,
    ReportPage,
    ReportResidence,
)

TEAM = [
    # name, English name, role, affiliation, bio
    ("演示监督员甲", "Demo Monitor A", "monitor", "市民监督团", "退休教师，演示用虚构人物。"),
    ("演示监督员乙", "Demo Monitor B", "monitor", "市民监督团", "社区志愿者，演示用虚构人物。"),
    ("演示监督员丙", "Demo Monitor C", "monitor", "市民监督团", "律师，演示用虚构人物。"),
    (
        "演示达人丁",
        "Demo Blogger D",
        "personality",
        "微博 @演示达人丁",
        "本地生活博主，演示用虚构人物。",
    ),
    ("演示记者戊", "Demo Reporter E", "journalist", "温州网", "温州网记者，演示用虚构人物。"),
]

H, IV, L = ReportKind.HAZARD, ReportKind.INTERVIEW, ReportKind.HIGHLIGHT
S = HazardStatus
REPORTS = [
    # slug, kind, street root + community numeral, title, English title, tags, team indexes,
    # follow-up statuses (hazards only)
    ("wuma-gate", L, "五马一", "五马一社区：门禁刷卡全覆盖", "Wuma 1: key cards on every gate", ["技防", "门禁"], [0, 4], []),
    ("songtai-patrol", IV, "松台二", "松台二社区：夜间巡逻队的一晚", "Songtai 2: a night with the patrol", ["人防", "巡逻"], [1], []),
    ("nanjiao-fire-exit", H, "南郊一", "南郊一社区：消防通道被占用", "Nanjiao 1: fire lane blocked", ["消防", "隐患"], [2, 4], [S.REPORTED]),
    ("guanghua-camera", L, "广化三", "广化三社区：监控探头无死角", "Guanghua 3: cameras cover every corner", ["技防", "监控"], [3], []),
    ("puxieshi-wires", H, "蒲鞋市二", "蒲鞋市二社区：电动车飞线充电", "Puxieshi 2: e-bikes charged from dangling wires", ["消防", "电动车", "隐患"], [0], [S.REPORTED, S.RECTIFYING]),
    ("danan-rental", IV, "大南一", "大南一社区：出租房登记怎么做", "Danan 1: how rentals are registered", ["流动人口"], [1, 4], []),
    ("nanhui-fence", H, "南汇二", "南汇二社区：围墙破损", "Nanhui 2: a broken boundary wall", ["物防", "隐患"], [2], [S.REPORTED, S.RECTIFYING, S.RECTIFIED]),
    ("binjiang-volunteers", L, "滨江一", "滨江一社区：平安志愿者上岗", "Binjiang 1: safety volunteers on duty", ["人防", "志愿者"], [3, 4], []),
    ("qidu-lights", H, "七都三", "七都三社区：地下车库照明不足", "Qidu 3: dark underground car park", ["物防", "隐患"], [0, 3], [S.REPORTED, S.RECTIFIED]),
    ("shuangyu-interview", IV, "双屿二", "双屿二社区：物业经理谈防盗", "Shuangyu 2: the property manager on burglary", ["防盗"], [1], []),
    ("yangyi-lock", H, "仰义一", "仰义一社区：单元门锁损坏", "Yangyi 1: a broken stairwell door lock", ["门禁", "隐患"], [2], [S.REPORTED, S.NOT_CONFIRMED]),
    ("fengmen-residents", IV, "丰门一", "丰门一社区：居民怎么看小区安全", "Fengmen 1: what residents say about safety", ["满意度"], [4], []),
]  # fmt: skip

UPDATE_NOTES = {
    S.REPORTED: ("监督团实地发现并报告该隐患，已告知物业。", "Found on the visit and reported to the property company."),
    S.RECTIFYING: ("物业已制定整改方案，正在施工。", "The property company has a plan and work is under way."),
    S.RECTIFIED: ("复查确认已整改到位。", "A second visit confirmed it has been put right."),
    S.NOT_CONFIRMED: ("复查时未能确认该问题，物业称门锁为临时检修。", "Not confirmed on the second visit: the lock was under repair."),
}  # fmt: skip

LIVE_TEXTS = [
    "大家好，这里是“平安小区”评选启动仪式现场图文直播。",
    "仪式将于上午九点开始，市民监督团成员已陆续到场。",
    "区综治办负责人介绍本次评选的参评条件：今年未发生七类恶性刑事案件、两抢、入室盗窃案件。",
    "技防、物防、人防措施要落实到位，流动人口登记率不低于95%。",
    "居民安全满意度要达到90%以上。",
    "温州网介绍线上报名方式：扫描二维码即可在线报名。",
]


def demo_picture(label, colour):
    """A small generated picture (no text) so the demo needs no photo files."""
    img = PILImage.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x = 60 + i * 150
        draw.rectangle([x, 260 - (i % 3) * 40, x + 110, 640], fill="#f5f1ea")
    draw.ellipse([720, 60, 860, 200], fill="#f2c14e")
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageFile(buffer, name=f"demo-{label}.png")


class ReportsDemo:
    def __init__(self, builder, campaign):
        self.builder = builder
        self.campaign = campaign
        self.zh = Locale.objects.get(language_code="zh-hans")
        self.en = Locale.objects.get(language_code="en")
        self.changes = builder.changes

    def build(self):
        images = self.images()
        team = self.team()
        index = self.report_index()
        self.reports(index, team, images)
        self.workflow(index)
        self.live_coverage(images)
        self.events()

    # -- pieces ---------------------------------------------------------------------------

    def images(self):
        found = {}
        for key, title, colour in [
            ("before", "隐患现场（演示图）", "#8c1d17"),
            ("after", "整改之后（演示图）", "#1b6e3a"),
            ("scene", "活动现场（演示图）", "#0b5cad"),
        ]:
            image = Image.objects.filter(title=title).first()
            if image is None:
                image = Image.objects.create(title=title, file=demo_picture(key, colour))
                self.changes.append(f"image {title}")
            found[key] = image
        return found

    def team(self):
        members = []
        for order, (name, name_en, role, affiliation, bio) in enumerate(TEAM):
            member, created = MonitorMember.objects.get_or_create(
                name=name,
                defaults={
                    "name_en": name_en,
                    "role": role,
                    "affiliation": affiliation,
                    "bio": bio,
                    "bio_en": f"{name_en} is an invented person of the demo.",
                    "sort_order": order,
                },
            )
            if created:
                self.changes.append(f"team member {name}")
            members.append(member)
        return members

    def report_index(self):
        index = ReportIndexPage.objects.child_of(self.campaign).filter(slug="reports").first()
        if index is None:
            index = ReportIndexPage(title="实地报道", slug="reports")
            self.campaign.add_child(instance=index)
            self.changes.append("report index")
        intro = "市民监督团和网络达人走进小区，展示平安建设亮点，披露小区安全隐患。"
        self.builder.update(index, title="实地报道", intro=intro, show_in_menus=True)
        self.builder.translate(
            index,
            self.en,
            title="Field reports",
            intro="The citizen monitors visit communities: safety highlights and hazards.",
        )
        return index

    def community(self, root):
        return Community.objects.select_related("street").get(name=f"{root}社区")

    def reports(self, index, team, images):
        today = timezone.localdate()
        candidates = ResidencePage.objects.descendant_of(self.campaign).live()
        for n, (slug, kind, root, title, title_en, tags, authors, statuses) in enumerate(REPORTS):
            page = ReportPage.objects.child_of(index).filter(slug=slug).first()
            date = today - timedelta(days=len(REPORTS) - n)
            summary = f"{title.split('：')[1]}。（演示报道）"
            if page is None:
                community = self.community(root)
                page = ReportPage(
                    title=title, slug=slug, kind=kind, report_date=date, summary=summary,
                    body=self.body(title, kind, images),
                    responsible_body="小区物业服务中心（演示）" if kind == H else "",
                )  # fmt: skip
                # A report covers the community's candidate when it has one, else names it.
                candidate = candidates.filter(community=community).first()
                if candidate is not None:
                    page.residences.add(ReportResidence(residence=candidate))
                else:
                    page.residences.add(
                        ReportResidence(name=f"{community.name}演示小区", street=community.street)
                    )
                page.reporters = [team[i] for i in authors]
                for step, status in enumerate(statuses):
                    photo = images["after"] if status == S.RECTIFIED else images["before"]
                    page.hazard_updates.add(
                        HazardUpdate(
                            date=date + timedelta(days=step * 3),
                            status=status,
                            note=UPDATE_NOTES[status][0],
                            photo=photo if step in (0, len(statuses) - 1) else None,
                            photo_alt=photo.title if step in (0, len(statuses) - 1) else "",
                            sort_order=step,
                        )
                    )
                index.add_child(instance=page)
                page.tags.add(*tags)
                page.save_revision().publish()
                self.changes.append(f"report {slug}")
            self.builder.update(page, title=title, summary=summary)
            self.builder.translate(
                page,
                self.en,
                title=title_en,
                summary=f"{title_en} (a demo report).",
                body=[("paragraph", f"<p>{escape(title_en)}: an invented demo report.</p>")],
            )

    def body(self, title, kind, images):
        blocks = [
            ("paragraph", f"<p>{escape(title)}。本文为演示内容，人物与情节均为虚构。</p>"),
            ("heading", {"text": "现场所见", "level": "h2"}),
            ("paragraph", "<p>监督团成员在物业人员陪同下查看了小区出入口、监控室和消防通道。</p>"),
        ]
        picture = images["before"] if kind == H else images["scene"]
        blocks.append(
            ("image", {"image": picture, "alt_text": picture.title, "caption": "演示图片"})
        )
        if kind == L:
            blocks.append(
                (
                    "gallery",
                    {
                        "title": "现场图集",
                        "images": [
                            {"image": images["scene"], "alt_text": "活动现场", "caption": ""},
                            {"image": images["after"], "alt_text": "整洁的楼道", "caption": ""},
                        ],
                    },
                )
            )
        return blocks

    def workflow(self, index):
        """Reports go through "editor approval" by the Editors group before publication."""
        editors, created = Group.objects.get_or_create(name="Editors")
        if created:
            self.changes.append("group Editors")
        task = GroupApprovalTask.objects.filter(name="Editor approval").first()
        if task is None:
            task = GroupApprovalTask.objects.create(name="Editor approval")
            self.changes.append("task Editor approval")
        if not task.groups.filter(pk=editors.pk).exists():
            task.groups.add(editors)
            self.changes.append("Editor approval: Editors group")
        workflow, created = Workflow.objects.get_or_create(name="Report approval")
        if created:
            self.changes.append("workflow Report approval")
        if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            self.changes.append("workflow Report approval: task")
        for page in index.get_translations(inclusive=True):
            link = WorkflowPage.objects.filter(page=page).first()
            if link is None or link.workflow_id != workflow.pk:
                WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
                self.changes.append(f"workflow on {page.title}")

    def live_coverage(self, images):
        page = LiveCoveragePage.objects.child_of(self.campaign).filter(slug="live").first()
        title = "“平安小区”评选启动仪式图文直播"
        if page is None:
            page = LiveCoveragePage(title=title, slug="live", is_live=True)
            self.campaign.add_child(instance=page)
            self.changes.append("live coverage")
        self.builder.update(
            page,
            title=title,
            intro="温州网、鹿城新闻中心联合直播（演示内容）。",
            is_live=True,
            show_in_menus=True,
            menu_title="图文直播",
        )
        self.builder.translate(
            page, self.en, title="Live: the campaign's launch ceremony",
            intro="Live text and pictures from the launch (demo content).", menu_title="Live",
        )  # fmt: skip
        if page.live_entries.count() >= 40:
            return
        # Entries end a few minutes before the first run, so none is in the future.
        start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=3 * 40)
        existing = set(page.live_entries.values_list("text", flat=True))
        created = 0
        for i in range(40):
            text = (
                LIVE_TEXTS[i] if i < len(LIVE_TEXTS) else f"第{i + 1}条直播：现场报道更新（演示）。"
            )
            if text in existing:
                continue
            entry = LiveEntry(
                coverage=page,
                posted_at=start + timedelta(minutes=3 * i),
                text=text,
                pinned=i in (0, 2, 5),
            )
            if i % 10 == 4:
                entry.image, entry.image_alt = images["scene"], "启动仪式现场（演示图）"
            if i == 7:
                entry.retracted = True
                entry.retraction_note = "时间有误，以官方通知为准。"
            entry.save()
            created += 1
        self.changes.append(f"{created} live entries")

    def events(self):
        now = timezone.localtime()
        specs = [
            ("visit-wuma", "走进五马一社区：市民开放日", "Open day in Wuma Community 1", 7, 30, 3),
            (
                "visit-nanjiao",
                "夜访南郊一社区巡逻队",
                "Night walk with the Nanjiao 1 patrol",
                -5,
                20,
                2,
            ),
        ]
        communities = list(Community.objects.order_by("pk")[:3])
        for slug, title, title_en, days, capacity, signups in specs:
            page = EventPage.objects.child_of(self.campaign).filter(slug=slug).first()
            if page is None:
                starts = (now + timedelta(days=days)).replace(
                    hour=14, minute=0, second=0, microsecond=0
                )
                page = EventPage(
                    title=title, slug=slug, starts_at=starts, ends_at=starts + timedelta(hours=2),
                    place="社区服务中心门口（演示）", capacity=capacity,
                    intro="<p>邀请居民和网友随监督团一起走进小区（演示活动）。</p>",
                )  # fmt: skip
                self.campaign.add_child(instance=page)
                page.save_revision().publish()
                self.changes.append(f"event {slug}")
            self.builder.update(page, title=title, place="社区服务中心门口（演示）")
            self.builder.translate(page, self.en, title=title_en, place="Community centre (demo)")
            have = page.signups.count()
            for k in range(have, signups):
                EventSignup.objects.create(
                    event=page,
                    name=f"演示报名者{k + 1}",
                    phone=f"1741{page.pk % 1000:03d}{k:04d}",
                    community=communities[k % len(communities)],
                )
            if have < signups:
                self.changes.append(f"{signups - have} demo sign-ups for {slug}")


def build_demo(builder, campaign):
    ReportsDemo(builder, campaign).build()
