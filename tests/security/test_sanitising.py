"""Rich text, embeds and structured data cannot carry a script into a public page."""

import json
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import nested_form_data, streamfield

from campaign_pages.models import ArticlePage
from campaign_pages.templatetags.campaign_tags import ld_json
from media_reports.blocks import AllowListedEmbedBlock
from media_reports.embeds import is_allowed_embed

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """The elements and attributes of an HTML fragment, as a browser would build them."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html):
    elements = Elements(html).found
    assert not [tag for tag, _ in elements if tag in ("script", "img", "iframe", "object")]
    assert not [name for _, attrs in elements for name in attrs if name.startswith("on")]
    assert not [
        value
        for _, attrs in elements
        for value in attrs.values()
        if value and value.strip().lower().startswith("javascript:")
    ]


HOSTILE_TEXT = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def contentstate(text, url):
    """What the rich-text editor posts: the hostile HTML as text, and a javascript: link."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text + " link",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": len(text) + 1, "length": 4, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}},
            },
        }
    )


def test_rich_text_from_the_editor_never_reaches_the_page_as_markup(admin_client, campaign):
    data = nested_form_data(
        {
            "title": "富文本测试",
            "slug": "rich-text-test",
            "kind": "other",
            "menu_title": "",
            "body": streamfield(
                [("paragraph", contentstate(HOSTILE_TEXT, "javascript:alert(document.cookie)"))]
            ),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(
        f"/admin/pages/add/campaign_pages/articlepage/{campaign.pk}/", data
    )
    assert response.status_code == 302, response.context["form"].errors
    page = ArticlePage.objects.get(slug="rich-text-test")
    assert_harmless(page.body.raw_data[0]["value"])
    html = admin_client.get(page.url).content.decode()
    body = html[html.index("<main") : html.index("</main>")]
    assert "&lt;script&gt;" in body  # the hostile markup is shown as text
    assert_harmless(body)


def test_rich_text_field_keeps_only_its_features(admin_client, campaign):
    from registrations.models import RegistrationPage

    page = RegistrationPage.objects.child_of(campaign).get()
    feature_set = page._meta.get_field("intro").features
    assert set(feature_set) == {"bold", "italic", "link"}  # no embeds, images or raw HTML


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/player",
        "javascript:alert(1)",
        "https://v.qq.com.evil.example/x",
        "http://127.0.0.1:8000/admin/",
        "https://169.254.169.254/latest/meta-data/",
    ],
)
def test_embeds_outside_the_allow_list_are_refused_before_any_request(url, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the provider was contacted for a refused URL")

    monkeypatch.setattr("wagtail.embeds.embeds.get_embed", no_network)
    block = AllowListedEmbedBlock()
    assert not is_allowed_embed(url)
    with pytest.raises(ValidationError):
        block.clean(block.to_python(url))


def test_structured_data_cannot_close_its_script_element():
    html = str(ld_json({"name": "</script><script>alert(1)</script><!--"}))
    assert html.count("</script>") == 1 and html.endswith("</script>")
    assert "<script>alert" not in html and "<!--" not in html
    inner = html[html.index(">") + 1 : -len("</script>")]
    assert json.loads(inner)["name"] == "</script><script>alert(1)</script><!--"
