"""Certificates (荣誉证书) and plaques of the confirmed winners, drawn as PDF with Pillow.

The notice awards 十佳平安小区 a bronze plaque (铜牌) and the 优秀组织奖 a certificate (§五(四),
§八). Both are drawn on request with the CJK font of the posters (campaign_pages.qr) and saved
by Pillow as a one-page PDF: A4 landscape at 150 dpi for the certificate, a 60 × 40 cm plaque
proof for the engraver. They are the organisers' Chinese documents, so they are always drawn
in Chinese, whatever the reader's language.
"""

import io

from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from campaign_pages.blocks import OrganiserBlock
from campaign_pages.models.winners import Winner
from campaign_pages.qr import font

A4_LANDSCAPE = (1754, 1240)  # 297 × 210 mm at 150 dpi
PLAQUE = (1772, 1181)  # 60 × 40 cm proof at 75 dpi
RESOLUTION = 150.0
RED, GOLD, INK, PAPER = "#b3261e", "#c9a227", "#1d2329", "#fffaf0"
BRONZE, BRONZE_DARK, ENGRAVE = "#a5672c", "#6e4219", "#fff3d6"


def wrap(draw, text, face, max_width):
    """Lines of ``text`` no wider than ``max_width``; Chinese breaks between any characters."""
    lines, line = [], ""
    for char in text:
        if char == "\n":
            lines.append(line)
            line = ""
            continue
        if line and draw.textlength(line + char, font=face) > max_width:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def centred(draw, width, y, text, face, fill):
    draw.text(((width - draw.textlength(text, font=face)) / 2, y), text, font=face, fill=fill)
    return y + int(face.size * 1.5)


def hosts_of(campaign):
    return [b.value["name"] for b in campaign.organisers if b.value["role"] == OrganiserBlock.HOST]


def award_wording(row, campaign):
    """(recipient, what the certificate says) for a winner or an organisation award."""
    if isinstance(row, Winner):
        return row.residence.title, _(
            "In the %(campaign)s you were named one of the Top Ten Safe Residential "
            "Communities (rank %(rank)s). This certificate is awarded in recognition."
        ) % {"campaign": campaign.title, "rank": row.rank}
    return row.community.name, _(
        "In the %(campaign)s you won the Award for Excellent Organisation. This certificate "
        "is awarded in recognition."
    ) % {"campaign": campaign.title}


def to_pdf(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=RESOLUTION)
    return buffer.getvalue()


def certificate_pdf(row, campaign, confirmed_at):
    """The 荣誉证书 of a ``Winner`` or an ``OrganisationAward``, as PDF bytes."""
    with translation.override("zh-hans"):
        width, height = A4_LANDSCAPE
        sheet = Image.new("RGB", A4_LANDSCAPE, PAPER)
        draw = ImageDraw.Draw(sheet)
        draw.rectangle([30, 30, width - 30, height - 30], outline=RED, width=14)
        draw.rectangle([60, 60, width - 60, height - 60], outline=GOLD, width=4)
        y = centred(draw, width, 120, _("Certificate of Honour"), font(120), RED)
        y = centred(draw, width, y, campaign.theme, font(40), GOLD)
        recipient, wording = award_wording(row, campaign)
        body = font(50)
        left, right = 200, width - 200
        y += 40
        draw.text((left, y), f"{recipient}：", font=font(64), fill=INK)
        y += 120
        indent = "\u3000\u3000"  # two ideographic spaces open a Chinese paragraph
        for line in wrap(draw, indent + wording, body, right - left):
            draw.text((left, y), line, font=body, fill=INK)
            y += int(body.size * 1.6)
        signature = font(40)
        lines = [_("Hosts:")] + hosts_of(campaign)
        when = timezone.localtime(confirmed_at) if confirmed_at else timezone.localtime()
        lines.append(formats.date_format(when.date(), "DATE_FORMAT"))
        y = height - 110 - len(lines) * int(signature.size * 1.5)
        for line in lines:
            x = right - draw.textlength(line, font=signature)
            draw.text((x, y), line, font=signature, fill=INK)
            y += int(signature.size * 1.5)
        return to_pdf(sheet)


def fitted(draw, text, size, max_width, smallest=40):
    """The largest font up to ``size`` at which ``text`` fits on one line (or ``smallest``)."""
    while size > smallest and draw.textlength(text, font=font(size)) > max_width:
        size -= 4
    return font(size)


def host_rows(draw, hosts, face, max_width):
    """The hosts on as few rows as fit, never breaking a name."""
    rows, row = [], []
    for name in hosts:
        if row and draw.textlength("\u3000".join([*row, name]), font=face) > max_width:
            rows.append("\u3000".join(row))
            row = []
        row.append(name)
    if row:
        rows.append("\u3000".join(row))
    return rows


def plaque_pdf(winner, campaign, confirmed_at):
    """The engraver's proof of a 十佳 winner's bronze plaque, as PDF bytes."""
    with translation.override("zh-hans"):
        width, height = PLAQUE
        plate = Image.new("RGB", PLAQUE, BRONZE)
        draw = ImageDraw.Draw(plate)
        draw.rectangle([24, 24, width - 24, height - 24], outline=BRONZE_DARK, width=18)
        draw.rectangle([70, 70, width - 70, height - 70], outline=ENGRAVE, width=5)
        inner = width - 260
        small = font(34)
        hosts = host_rows(draw, hosts_of(campaign), small, inner)
        hosts_top = height - 120 - len(hosts) * int(small.size * 1.5)
        lines = winner.plaque_lines(campaign, confirmed_at)
        sizes = [130, 110] + [60] * max(0, len(lines) - 2)
        faces = [fitted(draw, line, size, inner) for line, size in zip(lines, sizes, strict=False)]
        total = sum(int(face.size * 1.6) for face in faces)
        y = 90 + (hosts_top - 90 - total) / 2  # centred in the space above the hosts
        for line, face in zip(lines, faces, strict=True):
            y = centred(draw, width, y, line, face, ENGRAVE) + int(face.size * 0.1)
        y = hosts_top
        for row in hosts:
            y = centred(draw, width, y, row, small, ENGRAVE)
        return to_pdf(plate)


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
