"""Private status links (a registration's, an objection's) never enter the shared page cache."""

from django.test import Client


def test_objection_status_link_is_never_cached(client, published_notice, proposed, make_objection):
    objection = make_objection(published_notice, proposed[0])
    url = f"/2016/public-notice/objection/{objection.status_token}/"
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Cache"] == "skip"
    assert "private" in first["Cache-Control"]
    assert Client().get(url)["X-Cache"] == "skip"


def test_public_notice_page_with_its_objection_form_is_not_cached(client, published_notice):
    response = client.get("/2016/public-notice/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert response["X-Cache"] == "skip"
    assert Client().get("/2016/public-notice/")["X-Cache"] == "skip"
