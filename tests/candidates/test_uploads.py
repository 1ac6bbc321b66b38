"""Community uploads: photos and videos for its own candidate page only, refused bad files,
background video processing (real ffmpeg from PyPI), moderation gating publication."""

import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import Registration, ResidencePhoto, ResidenceVideo
from registrations.video import ffmpeg

from .conftest import png_bytes

pytestmark = pytest.mark.django_db


def make_video(path, seconds=1, audio=True, faststart=False):
    args = [ffmpeg(), "-hide_banner", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size=160x120:rate=10:duration={seconds}"]  # fmt: skip
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "mpeg4", "-pix_fmt", "yuv420p"]
    if faststart:
        args += ["-movflags", "+faststart"]
    subprocess.run([*args, str(path)], check=True)
    return Path(path).read_bytes()


@pytest.fixture(scope="session")
def tiny_video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("v") / "tiny.mp4")


@pytest.fixture(scope="session")
def longer_video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("v") / "long.mp4", seconds=3)


@pytest.fixture
def account(registration):
    registration.account.set_password("pw-for-tests-only")
    registration.account.save()
    return registration.account


@pytest.fixture
def community(client, account):
    client.force_login(account)
    return client


@pytest.fixture
def other_registration(registration):
    return (
        Registration.objects.filter(residence__isnull=False)
        .exclude(pk=registration.pk)
        .exclude(account=registration.account)
        .first()
    )


def media_url(registration, what=""):
    return f"/community/registrations/{registration.pk}/media/{what}"


def post_video(client, registration, content, name="video.mp4", **extra):
    upload = SimpleUploadedFile(name, content, content_type="video/mp4")
    return client.post(media_url(registration, "video/"), {"video": upload, "title": "宣传片"},
                       **extra)  # fmt: skip


def post_photo(client, registration, content, name="photo.jpg"):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(media_url(registration, "photos/"), {"photos": [upload], "caption": "大门"})


# -- photos -----------------------------------------------------------------------------


def test_community_uploads_a_photo_that_waits_for_moderation(community, registration):
    response = post_photo(community, registration, png_bytes((4000, 3000), fmt="JPEG"))
    assert response.status_code == 302
    photo = ResidencePhoto.objects.get(registration=registration)
    assert photo.moderation == "pending"
    assert photo.image.width == 2000  # re-encoded, never the phone's original size
    page = community.get(media_url(registration)).content.decode()
    assert "待审核" in page  # "Waiting for moderation", in Chinese


@pytest.mark.parametrize(
    "content",
    [b"", b"MZ\x90\x00" + b"\x00" * 2000, png_bytes()[:200]],
    ids=["zero-bytes", "renamed-executable", "truncated-image"],
)
def test_bad_photos_are_refused_and_nothing_is_stored(community, registration, content):
    before = ResidencePhoto.objects.count()
    response = post_photo(community, registration, content)
    assert response.status_code == 400
    assert ResidencePhoto.objects.count() == before


# -- videos: acceptance and refusals ------------------------------------------------------


def test_video_upload_is_processed_into_poster_and_faststart_mp4(
    community, registration, tiny_video, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_video(community, registration, tiny_video)
    assert response.status_code == 302
    video = ResidenceVideo.objects.get(registration=registration)
    assert video.container == "mp4"
    assert video.processing == "ready", video.failure_reason
    assert video.moderation == "pending"
    media = video.media
    assert media.type == "video" and media.thumbnail
    mp4 = Path(media.file.path).read_bytes()
    # +faststart: the index (moov) comes before the media data (mdat).
    assert mp4.index(b"moov") < mp4.index(b"mdat")
    report = subprocess.run([ffmpeg(), "-hide_banner", "-i", media.file.path],
                            capture_output=True, text=True).stderr  # fmt: skip
    assert "Video: h264" in report and "Audio: aac" in report
    assert Path(media.thumbnail.path).read_bytes()[:2] == b"\xff\xd8"  # a JPEG poster frame
    assert Path(video.original.path).read_bytes() == tiny_video  # the original is kept


def test_video_upload_answers_json_to_the_progress_script(
    community, registration, tiny_video, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_video(community, registration, tiny_video, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    assert response.json()["ok"] is True
    bad = post_video(community, registration, b"", HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["errors"]


def truncated(video):
    return video[: len(video) // 2]


@pytest.mark.parametrize(
    ("name", "content_of"),
    [
        ("empty.mp4", lambda v: b""),
        ("setup.mp4", lambda v: b"MZ\x90\x00\x03" + b"\x00" * 4000),  # a renamed .exe
        ("clip.mp4", truncated),
        ("notes.webm", lambda v: b"\x1a\x45\xdf\xa3" + b"garbage" * 100),
    ],
    ids=["zero-bytes", "renamed-executable", "truncated", "fake-webm"],
)
def test_bad_videos_are_refused_with_a_message_and_nothing_is_stored(
    community, registration, tiny_video, name, content_of, tmp_path
):
    before = ResidenceVideo.objects.count()
    response = post_video(community, registration, content_of(tiny_video), name=name)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert ResidenceVideo.objects.count() == before


def test_too_long_video_is_refused(community, registration, longer_video, settings):
    settings.CANDIDATE_VIDEO_MAX_SECONDS = 2
    response = post_video(community, registration, longer_video)
    assert response.status_code == 400
    assert not ResidenceVideo.objects.filter(registration=registration).exists()


def test_too_big_video_is_refused(community, registration, tiny_video, settings):
    settings.CANDIDATE_VIDEO_MAX_BYTES = len(tiny_video) - 1
    response = post_video(community, registration, tiny_video)
    assert response.status_code == 400
    assert not ResidenceVideo.objects.filter(registration=registration).exists()


def test_failed_processing_is_recorded_and_shown_to_the_community_and_editors(
    community, registration, tiny_video, admin_client, django_capture_on_commit_callbacks
):
    from registrations.tasks import process_video

    response = post_video(community, registration, tiny_video)  # not processed yet (no commit)
    assert response.status_code == 302
    video = ResidenceVideo.objects.get(registration=registration)
    Path(video.original.path).write_bytes(tiny_video[:300])  # the file is damaged on disk
    process_video.call(video.pk)
    video.refresh_from_db()
    assert video.processing == "failed"
    assert video.failure_reason
    assert video.original  # kept
    page = community.get(media_url(registration)).content.decode()
    assert video.failure_reason in page
    admin_list = admin_client.get("/admin/snippets/registrations/residencevideo/").content.decode()
    assert video.failure_reason[:40] in admin_list


# -- IDOR ---------------------------------------------------------------------------------


def test_another_communitys_media_page_and_uploads_are_404(
    community, other_registration, tiny_video
):
    assert community.get(media_url(other_registration)).status_code == 404
    assert post_video(community, other_registration, tiny_video).status_code == 404
    assert post_photo(community, other_registration, png_bytes(fmt="JPEG")).status_code == 404
    assert not ResidenceVideo.objects.filter(registration=other_registration).exists()
    assert not ResidencePhoto.objects.filter(registration=other_registration).exists()


def test_a_registration_id_in_the_form_cannot_redirect_an_upload(
    community, registration, other_registration
):
    upload = SimpleUploadedFile("p.jpg", png_bytes(fmt="JPEG"), content_type="image/jpeg")
    community.post(
        media_url(registration, "photos/"),
        {"photos": [upload], "registration": other_registration.pk, "residence": 1},
    )
    assert ResidencePhoto.objects.filter(registration=registration).count() == 1
    assert not ResidencePhoto.objects.filter(registration=other_registration).exists()


def test_another_communitys_pending_media_are_not_shown(
    community, registration, other_registration, make_image
):
    photo = ResidencePhoto.objects.create(
        registration=other_registration, image=make_image("secret"), caption="别人的照片"
    )
    html = community.get(media_url(registration)).content.decode()
    assert photo.caption not in html


def test_signed_out_visitors_are_sent_to_sign_in(client, registration):
    response = client.get(media_url(registration))
    assert response.status_code == 302 and "/community/login/" in response["Location"]


def test_a_not_shortlisted_registration_has_no_upload_page(client):
    registration = Registration.objects.filter(status="submitted").first()
    user = User.objects.create_user("someone", password="x")
    registration.account = user
    registration.save()
    client.force_login(user)
    assert client.get(media_url(registration)).status_code == 404


# -- moderation gates publication ---------------------------------------------------------


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw-for-tests-only")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_only_approved_media_appear_on_the_public_page(
    community, registration, candidate, tiny_video, client, editor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    post_photo(community, registration, png_bytes(fmt="JPEG"))
    with django_capture_on_commit_callbacks(execute=True):
        post_video(community, registration, tiny_video)
    photo = ResidencePhoto.objects.get(registration=registration)
    video = ResidenceVideo.objects.get(registration=registration)
    public = client.get(candidate.url).content.decode()
    assert "<video" not in public and "gallery-grid" not in public

    photo.approve(editor)
    video.approve(editor)
    public = client.get(candidate.url).content.decode()
    assert "<video" in public and video.media.url in public and "poster=" in public
    assert "gallery-grid" in public and "image/webp" in public
    assert "original_images" not in public
    cards = client.get("/2016/candidates/").content.decode()
    assert 'class="badge"' in cards

    video.reject(editor, "画面含有广告")
    assert "<video" not in client.get(candidate.url).content.decode()
    assert "画面含有广告" in community.get(media_url(registration)).content.decode()


def test_editor_approves_and_rejects_in_the_admin(community, registration, editor, client):
    post_photo(community, registration, png_bytes(fmt="JPEG"))
    photo = ResidencePhoto.objects.get(registration=registration)
    client.force_login(editor)
    User.objects.filter(pk=editor.pk).update(is_staff=False)
    listing = client.get("/admin/snippets/registrations/residencephoto/?moderation=pending")
    assert listing.status_code == 200
    assert photo.caption in listing.content.decode()
    url = "/admin/bulk/registrations/residencephoto/reject_upload/"
    response = client.post(f"{url}?id={photo.pk}", {"reason": ""})
    photo.refresh_from_db()
    assert photo.moderation == "pending"  # a rejection needs a reason
    client.post(f"{url}?id={photo.pk}", {"reason": "照片模糊"})
    photo.refresh_from_db()
    assert photo.moderation == "rejected" and photo.moderation_reason == "照片模糊"
    response = client.post(
        f"/admin/bulk/registrations/residencephoto/approve_upload/?id={photo.pk}", {"reason": ""}
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.moderation == "approved"


def test_a_community_account_cannot_moderate(community, registration):
    post_photo(community, registration, png_bytes(fmt="JPEG"))
    photo = ResidencePhoto.objects.get(registration=registration)
    community.post(
        f"/admin/bulk/registrations/residencephoto/approve_upload/?id={photo.pk}", {"reason": ""}
    )
    photo.refresh_from_db()
    assert photo.moderation == "pending"


def test_uploads_are_closed_once_the_campaign_is_an_archive(community, registration, tiny_video):
    from datetime import timedelta

    from django.utils import timezone

    campaign = registration.campaign
    past = timezone.now() - timedelta(days=1)
    campaign.phases.update(ends_at=past, starts_at=past - timedelta(days=30))

    page = community.get(media_url(registration)).content.decode()
    assert "上传已关闭" in page and 'name="photos"' not in page
    response = post_photo(community, registration, png_bytes(fmt="JPEG"))
    assert response.status_code == 302
    assert "上传已关闭" in community.get(response.url).content.decode()
    json_post = post_video(community, registration, tiny_video, HTTP_ACCEPT="application/json")
    assert json_post.status_code == 403 and "上传已关闭" in json_post.json()["errors"][0]
    assert not registration.residence_photos.exists()
    assert not registration.residence_videos.exists()
