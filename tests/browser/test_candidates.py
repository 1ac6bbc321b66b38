"""A candidate community uploads its video and photos (a wrong file first), an editor approves
them, and a resident opens the candidate from its share QR code and plays the video, each at
360 px and at 1280 px; the candidate page stays light on a visitor."""

import io
import subprocess

import pytest
import zxingcpp
from django.contrib.auth.models import Group, User
from PIL import Image

from campaign_pages.models import ResidenceIndexPage, ResidencePage
from registrations.models import Registration, ResidencePhoto, ResidenceVideo
from registrations.video import ffmpeg

from .conftest import PHONE, new_page, sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WEIGHT_LIMIT = 500 * 1024  # bytes a phone downloads for a candidate page, video stream aside


def tiny_video(tmp_path):
    path = tmp_path / "宣传片.mp4"
    subprocess.run(
        [ffmpeg(), "-hide_banner", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=2",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
         "-c:v", "mpeg4", "-pix_fmt", "yuv420p", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (40, 140, 90)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def candidate_without_video():
    index = ResidenceIndexPage.objects.get(locale__language_code="zh-hans")
    for page in ResidencePage.objects.child_of(index).live().order_by("-path"):
        registration = Registration.objects.filter(residence=page).first()
        if registration and not registration.residence_videos.exists():
            return page, registration
    raise AssertionError("the demo has no candidate without a video")


def weigh(page, url):
    """Bytes of every response the page loads at phone size, except the video stream."""
    sizes = []

    def record(response):
        if response.request.resource_type == "media":
            return
        try:
            sizes.append(len(response.body()))
        except Exception:  # noqa: BLE001 - a redirect or aborted request has no body
            sizes.append(0)

    page.on("response", record)
    page.goto(url, wait_until="networkidle")
    page.mouse.wheel(0, 5000)  # lazy images below the fold count too
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    return sum(sizes)


def test_community_uploads_editor_approves_resident_plays_from_the_qr_code(
    own_site, visitor, width, browser, screenshot, tmp_path
):
    server = own_site
    candidate, registration = candidate_without_video()
    account = registration.account
    account.set_password("community-pass-2016")
    account.save()

    # The community signs in and opens its photos and videos.
    visitor.goto(f"{server.url}/community/login/")
    visitor.get_by_label("用户名").fill(account.username)
    visitor.get_by_label("密码").fill("community-pass-2016")
    visitor.get_by_role("button", name="登录").click()
    visitor.wait_for_url("**/community/")
    visitor.goto(f"{server.url}/community/registrations/{registration.pk}/media/")

    # A wrong file first: an executable renamed to .mp4 is refused and nothing is stored.
    video_form = visitor.locator("form[action$='/media/video/']")
    video_form.locator("input[type=file]").set_input_files(
        {"name": "宣传片.mp4", "mimeType": "video/mp4", "buffer": b"MZ\x90\x00" + b"\x00" * 4096}
    )
    video_form.get_by_role("button", name="上传视频").click()
    status = video_form.locator(".upload-status.failed")
    status.wait_for()
    assert status.inner_text().strip()
    assert not ResidenceVideo.objects.filter(registration=registration).exists()
    screenshot(visitor, f"community-upload-refused-zh-{width}")

    # The real video, then a photo: both wait for moderation.
    video_form.locator("input[type=file]").set_input_files(str(tiny_video(tmp_path)))
    with visitor.expect_navigation():
        video_form.get_by_role("button", name="上传视频").click()
    photo_form = visitor.locator("form[action$='/media/photos/']")
    photo_form.locator("input[type=file]").set_input_files(
        {"name": "大门.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    with visitor.expect_navigation():
        photo_form.get_by_role("button", name="上传照片").click()
    main = visitor.locator("main").inner_text()
    assert main.count("待审核") >= 2, main
    screenshot(visitor, f"community-uploads-pending-zh-{width}")
    video = ResidenceVideo.objects.get(registration=registration)
    photo = ResidencePhoto.objects.get(registration=registration)
    assert video.processing == "ready", video.failure_reason
    assert "<video" not in visitor.request.get(f"{server.url}{candidate.url}").text()

    # An editor approves both in the admin.
    editor = User.objects.create_user("editor-2016", password="editor-pass-2016")
    editor.groups.add(Group.objects.get(name="Editors"))
    admin = sign_in_to_admin(browser, server, "editor-2016", "editor-pass-2016", width)
    for model, pk in (("residencevideo", video.pk), ("residencephoto", photo.pk)):
        listing = f"/admin/snippets/registrations/{model}/"
        admin.goto(f"{server.url}{listing}?moderation=pending")
        admin.goto(
            f"{server.url}/admin/bulk/registrations/{model}/approve_upload/?next={listing}&id={pk}"
        )
        admin.get_by_role("button", name="确认").click()
        admin.wait_for_url(f"**{listing}")
    admin.context.close()
    video.refresh_from_db()
    photo.refresh_from_db()
    assert (video.moderation, photo.moderation) == ("approved", "approved")

    # A resident scans the candidate's share QR code and plays the video.
    png = visitor.request.get(f"{server.url}{candidate.url}qr.png").body()
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert result.text == f"{server.url}{candidate.url}"
    resident = new_page(browser, width)
    resident.goto(result.text)
    player = resident.locator("video").first
    player.scroll_into_view_if_needed()
    assert player.get_attribute("poster")
    resident.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }"
    )
    resident.wait_for_function("() => document.querySelector('video').currentTime > 0.2")
    assert resident.evaluate("() => document.querySelector('video').error") is None
    screenshot(resident, f"candidate-video-playing-zh-{width}")
    resident.context.close()

    # What a phone downloads for the page, video stream aside, stays under 500 KB (a phone's
    # budget: a desktop gets larger renditions).
    fresh = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN").new_page()
    weight = weigh(fresh, result.text)
    fresh.context.close()
    assert weight < PAGE_WEIGHT_LIMIT, f"candidate page weighs {weight} bytes"
