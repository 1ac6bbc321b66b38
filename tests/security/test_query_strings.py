"""Hostile query strings (bad links, scanners) get a page or a 4xx, never a 5xx.

``?street=²`` passed ``str.isdigit`` and then failed ``int()``; twenty digits overflowed
SQLite's integer (500); a NUL in ``?q=`` broke SQLite's full-text search (503) and is refused
by PostgreSQL. ``campaign_pages/params.py`` reads every such parameter now.
"""

import pytest

from campaign_pages.models import ResidenceIndexPage
from campaign_pages.params import as_id, search_text
from media_reports.models import LiveCoveragePage, ReportIndexPage

HOSTILE = [
    "street=99999999999999999999",
    "street=%C2%B2",  # ² passes str.isdigit
    "street=-1",
    "street=1%00",
    "q=%00",
    "q=%E5%AE%89%00%E5%85%A8",
    "q=" + "%E5%AE%89" * 300,
    "page=99999999999999999999",
    "page=abc",
    "sort=%00",
    "status=%00",
    "since=%C2%B2",
    "since=99999999999999999999",
]


def page_urls():
    found = []
    for model in (ResidenceIndexPage, ReportIndexPage):
        for page in model.objects.live():
            found.append(page.url)
    return found


@pytest.mark.django_db
def test_pages_the_api_and_search_never_answer_5xx_to_a_hostile_query_string(client):
    client.raise_request_exception = False
    live = LiveCoveragePage.objects.live().first()
    urls = page_urls() + [
        "/search/",
        "/en/search/",
        "/api/v1/candidates/",
        f"/live/{live.pk}/updates.json",
    ]
    assert len(urls) >= 6
    failures = []
    for url in urls:
        for query in HOSTILE:
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url}?{query[:40]}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_street_filter_that_cannot_be_an_id_lists_every_candidate(client):
    index = ResidenceIndexPage.objects.live().first()
    everyone = client.get(index.url)
    for value in ("99999999999999999999", "%C2%B2", "-1"):
        response = client.get(f"{index.url}?street={value}")
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == (
            everyone.context["page_obj"].paginator.count
        )
        assert "street=None" not in response.content.decode()


@pytest.mark.django_db
def test_a_street_filter_keeps_its_choice_in_the_form(client):
    index = ResidenceIndexPage.objects.live().first()
    street = index.get_context(rf_get(index.url))["streets"].first()
    response = client.get(f"{index.url}?street={street.pk}")
    assert f'<option value="{street.pk}" selected>' in response.content.decode()


def rf_get(url):
    from django.test import RequestFactory

    return RequestFactory().get(url)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        (12, 12),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: int() would take them, an id is ASCII
        ("9" * 19, None),
        (2**63, None),
        (True, None),
        ("1x", None),
        ("", None),
        (None, None),
    ],
)
def test_as_id(value, expected):
    assert as_id(value) == expected


def test_search_text_keeps_words_apart_and_drops_what_no_query_takes():
    assert search_text("锦绣\x00花园", 100) == "锦绣 花园"
    assert search_text("锦绣\u3000花园", 100) == "锦绣 花园"
    assert search_text("  平安\n", 100) == "平安"
    assert search_text("安" * 300, 100) == "安" * 100
