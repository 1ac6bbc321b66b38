"""The share poster of a candidate (§五(一) "微信群发"): photo, name, campaign and QR code.

Drawn with the same CJK font and QR code as the registration poster (campaign_pages.qr), as a
1080×1620 PNG: the size WeChat shows full-screen in a chat and prints well on A5.
"""

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageOps

from campaign_pages.qr import font, qr_png

SIZE = (1080, 1620)
RED, INK, MUTED, PAPER = "#b3261e", "#1d2329", "#4f5b66", "#ffffff"
PHOTO_BOX = (1080, 700)


def fit_text(draw, text, size, max_width):
    """The largest font size up to ``size`` at which ``text`` fits on one line."""
    while size > 24 and draw.textlength(text, font=font(size)) > max_width:
        size -= 4
    return font(size)


def centred(draw, y, text, size, fill=INK):
    face = fit_text(draw, text, size, SIZE[0] - 80)
    width = draw.textlength(text, font=face)
    draw.text(((SIZE[0] - width) / 2, y), text, font=face, fill=fill)
    return y + int(face.size * 1.45)


def cover_photo(page):
    """The cover image cut to the poster's photo box, from a rendition (never the original)."""
    if page.cover_image is None:
        return None
    rendition = page.cover_image.get_rendition("fill-1080x700|format-jpeg")
    with rendition.file.open("rb") as handle:
        return ImageOps.fit(Image.open(handle).convert("RGB"), PHOTO_BOX)


def share_poster(page, campaign):
    poster = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(poster)
    photo = cover_photo(page)
    if photo is not None:
        poster.paste(photo, (0, 0))
    else:
        draw.rectangle([0, 0, *PHOTO_BOX], fill=RED)
    y = PHOTO_BOX[1] + 30
    if campaign is not None:
        y = centred(draw, y, campaign.title, 40, MUTED)
    y = centred(draw, y, page.title, 76)
    y = centred(draw, y, f"{page.street.local_name} · {page.community.local_name}", 36, MUTED)
    qr = Image.open(io.BytesIO(qr_png(page.full_url))).convert("RGB").resize((460, 460))
    poster.paste(qr, ((SIZE[0] - 460) // 2, y + 10))
    centred(draw, y + 490, _("Scan to see this candidate and vote"), 40, RED)
    buffer = io.BytesIO()
    poster.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
