"""Background work for community uploads (django-tasks: Django's task framework).

With the default ImmediateBackend a task runs right after the upload's transaction commits;
with TASKS_BACKEND=database a ``db_worker`` process runs it (docs/deployment.md).
"""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django_tasks import task

logger = logging.getLogger("pingan.videos")


@task()
def process_video(video_id):
    """Probe, poster frame and phone MP4 of one uploaded video; failures are recorded."""
    from registrations.models import ResidenceVideo

    video = ResidenceVideo.objects.select_related("registration").filter(pk=video_id).first()
    if video is None or video.processing == ResidenceVideo.Processing.READY:
        return
    video.processing = ResidenceVideo.Processing.PROCESSING
    video.save(update_fields=["processing"])
    try:
        convert_video(video)
    except Exception as error:  # any failure is the upload's, reported to people, never lost
        from registrations.video import VideoError

        reason = str(error) if isinstance(error, VideoError) else f"{type(error).__name__}"
        logger.warning("video %s failed: %s", video_id, error)
        video.processing = ResidenceVideo.Processing.FAILED
        video.failure_reason = reason[:1000]
        video.save(update_fields=["processing", "failure_reason"])


def convert_video(video):
    from wagtail.models import Collection
    from wagtailmedia.models import get_media_model

    from registrations.models import ResidenceVideo
    from registrations.video import convert, probe

    source = Path(video.original.path)
    info = probe(source)
    with tempfile.TemporaryDirectory() as work:
        mp4, poster = Path(work) / "video.mp4", Path(work) / "poster.jpg"
        result = convert(source, mp4, poster, info, settings.CANDIDATE_VIDEO_TIMEOUT)
        Media = get_media_model()
        media = Media(
            title=video.title or video.registration.residence_name,
            type="video",
            duration=round(result.duration, 2),
            width=result.width or None,
            height=result.height or None,
            collection=upload_collection(Collection),
            uploaded_by_user=video.uploaded_by,
        )
        with open(mp4, "rb") as mp4_file, open(poster, "rb") as poster_file:
            media.file.save(f"{video.pk}.mp4", File(mp4_file), save=False)
            media.thumbnail.save(f"{video.pk}.jpg", File(poster_file), save=False)
            media.save()
    video.media = media
    video.duration = info.duration
    video.codecs = info.codecs
    video.processing = ResidenceVideo.Processing.READY
    video.failure_reason = ""
    video.save(update_fields=["media", "duration", "codecs", "processing", "failure_reason"])


def upload_collection(Collection):
    """The media library collection of community uploads (made on first use)."""
    name = "社区上传"
    existing = Collection.objects.filter(name=name).first()
    if existing:
        return existing
    return Collection.get_first_root_node().add_child(name=name)
