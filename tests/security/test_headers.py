"""Security headers: the Content-Security-Policy and its companions on every response."""

import re
from pathlib import Path

import pytest
from django.test import override_settings

from pingan.admin_scripts import parse_call, rewrite_inline_scripts

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def policy(response):
    """The CSP header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def test_public_pages_carry_the_strict_policy(client):
    csp = policy(client.get("/2016/"))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["media-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


def test_no_response_allows_inline_scripts_not_even_the_admin(admin_client):
    for response in (admin_client.get("/2016/"), admin_client.get("/admin/")):
        csp = policy(response)
        assert "'unsafe-inline'" not in csp["script-src"]
        assert "'unsafe-eval'" not in csp["script-src"]
        assert "'unsafe-inline'" not in csp.get("script-src-elem", [])


def test_frames_are_limited_to_the_embed_providers_setting(client):
    with override_settings(REPORT_EMBED_PROVIDERS=["v.qq.com", "bilibili.com"]):
        csp = policy(client.get("/2016/"))
    assert csp["frame-src"] == [
        "https://v.qq.com",
        "https://*.v.qq.com",
        "https://bilibili.com",
        "https://*.bilibili.com",
    ]


def test_admin_policy_differs_only_by_inline_styles_and_its_own_preview_frame(admin_client):
    public, admin = policy(admin_client.get("/2016/")), policy(admin_client.get("/admin/"))
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["frame-ancestors"] == ["'self'"]
    assert admin["frame-src"][0] == "'self'" and admin["frame-src"][1:] == public["frame-src"]
    # The multiple-image uploader previews each chosen file from a blob: URL.
    assert [v for v in admin["img-src"] if v != "blob:"] == public["img-src"]
    different = {name for name in public if public[name] != admin.get(name)}
    assert different == {"style-src", "frame-ancestors", "frame-src", "img-src"}


@pytest.mark.parametrize(
    "url",
    ["/2016/", "/en/2016/notice/", "/api/v1/candidates/", "/healthz", "/no-such-page/", "/admin/"],
)
def test_companion_headers_are_on_every_kind_of_response(client, url):
    response = client.get(url)
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions
    assert "Content-Security-Policy" in response


def test_admin_page_editor_has_no_inline_script_left(admin_client, campaign):
    # The campaign's editor has choosers, date-time widgets and an inline panel (phases).
    html = admin_client.get(f"/admin/pages/{campaign.pk}/edit/").content.decode()
    inline = [
        attrs
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        if "application/json" not in attrs
    ]
    assert inline == []
    assert 'data-admin-init="' in html
    assert "js/admin-init.js" in html


def test_known_admin_scripts_become_calls_and_unknown_ones_stay_inline():
    chooser = (
        '<script>new ImageChooser("id_hero", {"modalUrl": "/admin/images/chooser/"});</script>'
    )
    date = '<script>initDateChooser("id_d\\u002D0", {"format": "Y-m-d"});</script>'
    panel = (
        '<script>\n(function() {\n var panel = new InlinePanel(JSON.parse("{\\u0022type\\u0022:'
        ' \\u0022InlinePanel\\u0022}"));\n})();\n</script>'
    )
    assert parse_call(chooser[8:-9]) == (
        "ImageChooser",
        True,
        ["id_hero", {"modalUrl": "/admin/images/chooser/"}],
    )
    assert parse_call(date[8:-9]) == ("initDateChooser", False, ["id_d-0", {"format": "Y-m-d"}])
    assert parse_call(panel[8:-9]) == ("InlinePanel", True, [{"type": "InlinePanel"}])
    for body in ("alert(1)", "fetch('/x')", 'new Function("x")', "initDateChooser(document)"):
        html = f"<script>{body}</script>"
        assert rewrite_inline_scripts(html) == html  # left inline: the policy blocks it
    rewritten = rewrite_inline_scripts(chooser)
    assert rewritten.startswith('<span hidden data-admin-init="{&quot;call&quot;:&quot;Image')


def test_templates_have_no_inline_script_style_or_event_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text):
            if "application/ld+json" not in attrs and "application/json" not in attrs:
                offenders.append(f"{path}: inline <script{attrs}>")
        if re.search(r"\sstyle=", text):
            offenders.append(f"{path}: style attribute")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path}: event-handler attribute")
    assert offenders == []
