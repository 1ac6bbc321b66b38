"""QR codes of a page's own URL, and the Chinese font that posters are drawn with.

A QR code is only ever made for a page's own URL (never for an address from the request):
a QR service for any address would be a phishing tool.
"""

import contextlib
import io
from functools import cache
from importlib import resources
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import Http404, HttpResponse
from PIL import ImageFont


def make_qr(url):
    # Error correction M survives a crease or a smudge on a printed poster.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=32, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url):
    """The QR code as a PNG of about 1000 px: prints sharply up to 8 cm wide at 300 dpi."""
    buffer = io.BytesIO()
    make_qr(url).make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url):
    buffer = io.BytesIO()
    make_qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


@cache
def cjk_font_path():
    """A font with Chinese glyphs: the configured one, the one from PyPI, or the system's."""
    candidates = [getattr(settings, "POSTER_FONT_PATH", "")]
    with contextlib.suppress(ModuleNotFoundError):
        candidates.append(str(resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"))
    candidates.append("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    for path in candidates:
        if path and Path(path).is_file():
            return path
    raise FileNotFoundError("No CJK font: install noto-cjk-sans-otc or set POSTER_FONT_PATH.")


@cache
def cjk_face_index(path):
    """The index of the Simplified Chinese face in a font collection (0 for a single font)."""
    for index in range(10):
        try:
            name = ImageFont.truetype(path, 12, index=index).getname()[0]
        except OSError:
            break
        if name.endswith(" SC"):
            return index
    return 0


def font(size):
    path = cjk_font_path()
    return ImageFont.truetype(path, size, index=cjk_face_index(path))


class QRCodeMixin:
    """Serves ``<page URL>qr.png`` and ``qr.svg``: the QR code of the page's own URL.

    campaign_pages.views.page_asset routes those URLs here; a page type adds further assets
    (a poster) by overriding ``serve_asset`` and calling ``super()`` for the rest.
    """

    def serve_asset(self, request, name):
        if name == "qr.png":
            return asset_response(qr_png(self.full_url), "image/png", f"qr-{self.slug}.png")
        if name == "qr.svg":
            return asset_response(qr_svg(self.full_url), "image/svg+xml", f"qr-{self.slug}.svg")
        raise Http404


def asset_response(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    # An SVG served from our origin must never run script.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
