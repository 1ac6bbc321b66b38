"""Checking and converting community videos with the ffmpeg binary from PyPI (imageio-ffmpeg).

imageio-ffmpeg ships ffmpeg but not ffprobe, so we probe with ``ffmpeg -i`` and read its report
(duration, streams), after checking the container's magic bytes: a file is a video because of
its content, never because of its name or the type the browser declared.
"""

import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings


@cache
def ffmpeg():
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


class VideoError(Exception):
    """The file is not a video we accept; ``code`` names why, for messages and tests."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def sniff_container(head):
    """'mp4', 'mov' or 'webm' from the first bytes of a file, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM and Matroska
        return "webm"
    return None


@dataclass
class Probe:
    duration: float
    video_codec: str
    audio_codec: str = ""
    width: int = 0
    height: int = 0
    streams: list = field(default_factory=list)

    @property
    def codecs(self):
        return "/".join(c for c in (self.video_codec, self.audio_codec) if c)


DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
STREAM = re.compile(r"Stream #\d+:\d+(?:\[\w+\])?(?:\(\w+\))?: (Video|Audio): (\w+)([^\n]*)")
SIZE = re.compile(r", (\d{2,5})x(\d{2,5})")


def probe(path, timeout=60):
    """Duration and codecs of a video file; ``VideoError`` when ffmpeg cannot read it."""
    result = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    report = result.stderr.decode("utf-8", "replace")
    duration = DURATION.search(report)
    streams = STREAM.findall(report)
    video = [s for s in streams if s[0] == "Video" and s[1] not in ("mjpeg", "png")]
    if duration is None or not video:
        raise VideoError("unreadable", last_line(report))
    hours, minutes, seconds = duration.groups()
    size = SIZE.search(video[0][2])
    audio = [s for s in streams if s[0] == "Audio"]
    return Probe(
        duration=int(hours) * 3600 + int(minutes) * 60 + float(seconds),
        video_codec=video[0][1],
        audio_codec=audio[0][1] if audio else "",
        width=int(size.group(1)) if size else 0,
        height=int(size.group(2)) if size else 0,
        streams=streams,
    )


def last_line(report):
    lines = [line.strip() for line in report.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def check_video(path, size):
    """The container and probe of an uploaded file, or ``VideoError`` (nothing is stored)."""
    if size == 0:
        raise VideoError("empty")
    if size > settings.CANDIDATE_VIDEO_MAX_BYTES:
        raise VideoError("too_big")
    with open(path, "rb") as handle:
        container = sniff_container(handle.read(16))
    if container is None:
        raise VideoError("not_a_video")
    info = probe(path)
    if info.duration <= 0:
        raise VideoError("unreadable")
    if info.duration > settings.CANDIDATE_VIDEO_MAX_SECONDS:
        raise VideoError("too_long", f"{info.duration:.0f}")
    return container, info


def run(args, timeout):
    result = subprocess.run(
        [ffmpeg(), "-hide_banner", "-nostdin", "-y", "-v", "error", *args],
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise VideoError("conversion_failed", last_line(result.stderr.decode("utf-8", "replace")))
    return result


def convert(source, mp4_path, poster_path, info, timeout):
    """Poster frame (JPEG, 720 px wide at most) and an H.264/AAC MP4 with fast start."""
    at = min(1.0, info.duration / 2)
    run(
        ["-ss", f"{at:.2f}", "-i", str(source), "-frames:v", "1",
         "-vf", "scale='min(720,iw)':-2", "-q:v", "4", str(poster_path)],
        timeout,
    )  # fmt: skip
    audio = ["-c:a", "aac", "-b:a", "96k", "-ac", "2"] if info.audio_codec else ["-an"]
    run(
        ["-xerror", "-i", str(source), "-map", "0:v:0", "-map", "0:a:0?",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-profile:v", "main",
         "-pix_fmt", "yuv420p", "-vf", "scale='min(1280,iw)':-2", *audio,
         "-movflags", "+faststart", str(mp4_path)],
        timeout,
    )  # fmt: skip
    if not Path(mp4_path).is_file() or Path(mp4_path).stat().st_size == 0:
        raise VideoError("conversion_failed", "no output")
    return probe(mp4_path)
