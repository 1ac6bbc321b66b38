"""Demo media for ``load_demo``: a drawn cover image for every demo candidate and a few short
promotional videos made with ffmpeg (from imageio-ffmpeg) at demo time. Nothing binary is
committed; a second run changes nothing."""

import io
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from campaign_pages.models import ResidencePage
from campaign_pages.qr import font
from registrations.models import Moderation, ResidenceVideo

DEMO_VIDEOS = 3  # candidates that get a generated video
PALETTE = ["#2e7d32", "#1565c0", "#6a1b9a", "#ad1457", "#00838f", "#ef6c00", "#4e342e"]


def cover_png(name, number):
    """A 1200×800 picture of a residential block in the candidate's colour, with its name."""
    width, height = 1200, 800
    img = PILImage.new("RGB", (width, height), PALETTE[number % len(PALETTE)])
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, height - 160, width, height], fill="#dfe7d3")
    for i, x in enumerate(range(80, width - 120, 260)):
        top = 220 + (i * 53 + number * 17) % 160
        draw.rectangle([x, top, x + 180, height - 160], fill="#f5f1ea")
        for wy in range(top + 30, height - 200, 60):
            for wx in (x + 25, x + 105):
                draw.rectangle([wx, wy, wx + 50, wy + 32], fill="#f2c14e")
    face = font(72)
    text_width = draw.textlength(name, font=face)
    draw.rectangle([0, 40, width, 160], fill=(0, 0, 0))
    draw.text(((width - text_width) / 2, 55), name, font=face, fill="#ffffff")
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82)
    buffer.seek(0)
    return buffer


def build_demo_media(builder, campaign):
    Image = get_image_model()
    pages = ResidencePage.objects.descendant_of(campaign).filter(locale=campaign.locale)
    for number, page in enumerate(pages.order_by("path")):
        if page.cover_image_id is None:
            title = f"{page.title} 封面（演示）"
            image = Image.objects.filter(title=title).first() or Image.objects.create(
                title=title, file=ImageFile(cover_png(page.title, number), name="cover.jpg")
            )
            page.cover_image = image
            revision = page.save_revision()
            if page.live:
                revision.publish()
            else:  # a draft keeps its row in step, so the next run sees the cover
                ResidencePage.objects.filter(pk=page.pk).update(cover_image=image)
            builder.changes.append(f"cover image of {page.title}")
    live = pages.live().order_by("path").select_related("registration")[:DEMO_VIDEOS]
    for page in live:
        registration = getattr(page, "registration", None)
        if registration is None or registration.residence_videos.exists():
            continue
        make_demo_video(registration)
        builder.changes.append(f"video of {page.title}")


def make_demo_video(registration):
    """A 4-second test-card clip with a tone, converted exactly as an upload is."""
    from registrations.tasks import process_video
    from registrations.video import ffmpeg

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "demo.mp4"
        subprocess.run(
            [ffmpeg(), "-hide_banner", "-v", "error", "-y",
             "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4",
             "-f", "lavfi", "-i", "sine=frequency=523:duration=4",
             "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
             "-c:a", "aac", str(path)],
            check=True,
        )  # fmt: skip
        video = ResidenceVideo(
            registration=registration,
            title=f"{registration.residence_name}宣传片（演示）",
            container="mp4",
            original_size=path.stat().st_size,
            moderation=Moderation.APPROVED,
        )
        with open(path, "rb") as handle:
            video.original.save("demo.mp4", File(handle), save=False)
        video.save()
    process_video.call(video.pk)
