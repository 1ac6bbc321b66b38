"""The A4 registration poster communities print and put up (§五(一) "张贴海报")."""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from campaign_pages.qr import font, qr_png

# A4 at 150 dpi: sharp enough to print, small enough to send over a phone connection.
A4 = (1240, 1754)
RED, DEEP_RED, INK, PAPER = "#b3261e", "#8c1d17", "#1d2329", "#ffffff"


def centred(draw, y, text, size, fill=INK):
    face = font(size)
    width = draw.textlength(text, font=face)
    draw.text(((A4[0] - width) / 2, y), text, font=face, fill=fill)
    return y + int(size * 1.45)


def registration_poster(page, campaign):
    """The A4 poster: campaign, theme, a large QR code of the form, the registration dates."""
    poster = Image.new("RGB", A4, PAPER)
    draw = ImageDraw.Draw(poster)
    draw.rectangle([0, 0, A4[0], 430], fill=RED)
    draw.rectangle([0, 430, A4[0], 450], fill=DEEP_RED)
    y = centred(draw, 80, f"{campaign.district} · {campaign.year}", 44, PAPER)
    y = centred(draw, y + 10, campaign.title, 64, PAPER)
    centred(draw, y + 20, campaign.theme, 88, PAPER)

    y = centred(draw, 510, _("Scan to register your residential community"), 56)
    qr = Image.open(io.BytesIO(qr_png(page.full_url))).convert("RGB").resize((760, 760))
    poster.paste(qr, ((A4[0] - 760) // 2, y + 10))
    y += 800
    phase = campaign.phase("registration")
    if phase:
        dates = _("Registration: %(start)s – %(end)s") % {
            "start": formats.date_format(phase.first_day, "MONTH_DAY_FORMAT"),
            "end": formats.date_format(phase.last_day, "MONTH_DAY_FORMAT"),
        }
        y = centred(draw, y + 20, dates, 48)
    y = centred(draw, y + 10, _("Put forward by the owners' committee or the community"), 36)
    centred(draw, A4[1] - 110, page.full_url, 28, "#4f5b66")
    buffer = io.BytesIO()
    poster.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
