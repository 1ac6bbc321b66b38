"""Every public page type and the main admin pages run under the policy without a violation.

An init script records each ``securitypolicyviolation`` event before any page script runs,
and the console is watched for the browser's own CSP messages; a page that has any fails.
"""

import pytest
from django.contrib.auth.models import User
from wagtail.models import Page

from .conftest import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.effectiveDirective + " " + (e.blockedURI || "inline") +
                              " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class ViolationLog:
    """Violations of the pages one browser context visits, with the URL where each happened."""

    def __init__(self, context):
        self.found = []
        context.add_init_script(RECORD_VIOLATIONS)
        self.context = context

    def watch(self, page):
        def on_console(message):
            if "Content Security Policy" in message.text:
                self.found.append(f"{page.url}: console: {message.text[:300]}")

        page.on("console", on_console)
        return page

    def collect(self, page):
        for violation in page.evaluate("window.__cspViolations || []"):
            self.found.append(f"{page.url}: {violation}")

    def visit(self, page, url):
        page.goto(url, wait_until="networkidle")
        self.collect(page)


def one_page_of_each_type():
    """The URL of one live page of every page type, in each language."""
    chosen = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path").specific():
        chosen.setdefault((type(page).__name__, page.locale.language_code), page.url)
    return sorted(set(chosen.values()))


def test_every_public_page_type_runs_without_a_csp_violation(demo_server, browser):
    from voting.models import Tally

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    log = ViolationLog(context)
    page = log.watch(context.new_page())
    candidate = Tally.objects.order_by("pk").values_list("candidate_id", flat=True).first()
    urls = [
        *one_page_of_each_type(),
        "/search/?q=平安",
        "/en/search/?q=safe",
        "/community/login/",
        f"/vote/{candidate}/",
        "/2016/reports/hazards/",
        "/2016/reports/team/",
        "/no-such-page/",
    ]
    assert len(urls) > 20
    for url in urls:
        log.visit(page, demo_server.url + url)
    context.close()
    assert log.found == []


def test_main_admin_pages_run_without_a_csp_violation(demo_server, browser, tmp_path_factory):
    from PIL import Image as PILImage

    from campaign_pages.models import ArticlePage, CampaignPage
    from media_reports.models import MonitorMember, ReportPage

    User.objects.create_superuser("csp-admin", password="csp-admin-pass")
    admin = sign_in_to_admin(browser, demo_server, "csp-admin", "csp-admin-pass")
    log = ViolationLog(admin.context)
    # The init script applies to pages opened after it was added: open a fresh one.
    page = log.watch(admin.context.new_page())
    campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
    article = ArticlePage.objects.live().first()
    report = ReportPage.objects.live().first()
    member = MonitorMember.objects.first()
    urls = [
        "/admin/",
        f"/admin/pages/{campaign.pk}/",
        f"/admin/pages/{campaign.pk}/edit/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{report.pk}/edit/",
        "/admin/snippets/media_reports/monitormember/",
        f"/admin/snippets/media_reports/monitormember/edit/{member.pk}/",
        "/admin/snippets/media_reports/liveentry/add/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/multiple/add/",
        "/admin/media/video/add/",
        "/django-admin/",
    ]
    for url in urls:
        log.visit(page, demo_server.url + url)

    # An image upload through the multiple-upload page: its per-image forms arrive later.
    page.goto(f"{demo_server.url}/admin/images/multiple/add/", wait_until="networkidle")
    picture = tmp_path_factory.mktemp("upload") / "csp-upload.png"
    PILImage.new("RGB", (640, 480), "green").save(picture)
    page.set_input_files("#fileupload", str(picture))
    page.locator(".upload-success, .upload-failure").first.wait_for(timeout=60_000)
    assert page.locator(".upload-success").count() == 1
    log.collect(page)

    # The editor still works: a new phase row gets its date-time pickers, the image
    # chooser opens its modal, and the preview panel shows the page.
    page.goto(f"{demo_server.url}/admin/pages/{campaign.pk}/edit/", wait_until="networkidle")
    pickers = page.locator(".xdsoft_datetimepicker")
    before = pickers.count()
    assert before > 2
    page.evaluate("document.getElementById('id_phases-ADD').click()")
    page.wait_for_function(f"document.querySelectorAll('.xdsoft_datetimepicker').length > {before}")
    page.evaluate(
        "document.querySelector('#id_hero_image-chooser [data-chooser-action-choose]').click()"
    )
    page.locator(".modal-dialog").first.wait_for()
    page.locator(".modal-dialog a.image-choice").first.wait_for()
    log.collect(page)
    page.goto(f"{demo_server.url}/admin/pages/{article.pk}/edit/", wait_until="networkidle")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    page.wait_for_function(
        "[...document.querySelectorAll('iframe')].some(f => f.src.includes('/preview/'))"
    )
    # The frame's element exists before its document has loaded: the frame locator waits.
    preview = page.frame_locator("iframe[src*='/preview/']").first
    assert preview.locator("h1").inner_text(timeout=60_000) == article.title
    page.wait_for_load_state("networkidle")
    log.collect(page)
    admin.context.close()
    assert log.found == []


def test_markup_that_bypassed_the_editor_still_cannot_run_a_script(demo_server, browser):
    """Defence in depth: HTML written straight into the database (not through the editor,
    which would have escaped it) reaches the page, but the policy stops it from running."""
    from wagtail.rich_text import RichText

    from campaign_pages.models import ArticlePage

    page = ArticlePage.objects.live().filter(locale__language_code="zh-hans").first()
    hostile = (
        '<p><img src="/x.png" onerror="window.__ran = 1"><script>window.__ran = 2</script></p>'
    )
    page.body = [("paragraph", RichText(hostile))]
    page.save_revision().publish()
    context = browser.new_context()
    log = ViolationLog(context)
    tab = log.watch(context.new_page())
    log.visit(tab, demo_server.url + page.url)
    assert tab.evaluate("window.__ran") is None
    context.close()
    blocked = " ".join(log.found)
    assert "script-src-attr" in blocked and "script-src-elem" in blocked
