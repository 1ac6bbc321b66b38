"""The community dashboard's upload forms: photos and promotional videos for its own page.

Neither form has a field naming the registration or the page: the view passes the account's
own registration, so no id in a form can point an upload at another community.
"""

import os
import tempfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registrations.forms import PhotosField
from registrations.video import VideoError, check_video

VIDEO_MESSAGES = {
    "empty": _("“%(name)s” is empty."),
    "too_big": _("“%(name)s” is larger than %(size)d MB."),
    "not_a_video": _("“%(name)s” is not an MP4, MOV or WebM video."),
    "unreadable": _("“%(name)s” cannot be read as a video: it may be damaged or incomplete."),
    "too_long": _("“%(name)s” is longer than %(minutes)d minutes."),
}


class PhotoUploadForm(forms.Form):
    photos = PhotosField(label=_("Photos"))
    caption = forms.CharField(label=_("Caption (optional)"), max_length=100, required=False)

    def __init__(self, *args, room=5, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = room

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if not photos:
            raise ValidationError(_("Choose at least one photo."), code="required")
        if len(photos) > self.room:
            raise ValidationError(
                _("Your page can take %(count)d more photos.") % {"count": self.room},
                code="too_many",
            )
        return photos


class VideoUploadForm(forms.Form):
    video = forms.FileField(
        label=_("Video"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/quicktime,video/webm"}),
        help_text=_("MP4, MOV or WebM, at most %(size)d MB and %(minutes)d minutes.")
        % {
            "size": settings.CANDIDATE_VIDEO_MAX_BYTES // (1024 * 1024),
            "minutes": settings.CANDIDATE_VIDEO_MAX_SECONDS // 60,
        },
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=100, required=False)

    def clean_video(self):
        upload = self.cleaned_data["video"]
        try:
            self.container, self.probe = check_upload(upload)
        except VideoError as error:
            message = VIDEO_MESSAGES[error.code] % {
                "name": upload.name,
                "size": settings.CANDIDATE_VIDEO_MAX_BYTES // (1024 * 1024),
                "minutes": settings.CANDIDATE_VIDEO_MAX_SECONDS // 60,
            }
            raise ValidationError(message, code=error.code) from error
        upload.seek(0)
        return upload


def check_upload(upload):
    """Check an uploaded file where ffmpeg can read it (a temporary file on disk)."""
    if upload.size == 0 or upload.size > settings.CANDIDATE_VIDEO_MAX_BYTES:
        return check_video("/dev/null", upload.size)
    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        return check_video(path(), upload.size)
    with tempfile.NamedTemporaryFile(suffix=".upload", delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        return check_video(handle.name, upload.size)
    finally:
        os.unlink(handle.name)
