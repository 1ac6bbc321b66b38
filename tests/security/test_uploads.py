"""Uploaded files are never served inline as HTML or SVG from our origin."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from pingan.media import serve_media

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def jpeg():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def root_collection():
    return Collection.get_first_root_node().pk


@pytest.mark.parametrize(
    "name, content",
    [("notice.html", HTML), ("notice.htm", HTML), ("logo.svg", SVG), ("x.js", b"alert(1)")],
)
def test_editors_cannot_upload_html_svg_or_script_documents(admin_client, name, content):
    Document = get_document_model()
    before = Document.objects.count()
    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "hostile",
            "file": SimpleUploadedFile(name, content),
            "collection": root_collection(),
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "file" in response.context["form"].errors
    assert Document.objects.count() == before


@pytest.mark.parametrize("name", ["rules.pdf", "list.txt", "form.docx"])
def test_documents_are_always_downloaded_never_shown_inline(client, name):
    document = get_document_model().objects.create(
        title=name, file=ContentFile(b"%PDF-1.4 or text", name=name)
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_svg_image_uploads_are_refused(admin_client):
    Image = get_image_model()
    before = Image.objects.count()
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "logo",
            "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"),
            "collection": root_collection(),
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert Image.objects.count() == before


def put_media(name, content):
    path = Path(settings.MEDIA_ROOT) / "security-tests" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"security-tests/{name}"


@pytest.mark.parametrize(
    "name, content", [("page.html", HTML), ("logo.svg", SVG), ("data.xml", b"<x/>")]
)
def test_media_files_other_than_pictures_and_videos_are_downloaded(name, content):
    response = serve_media(RequestFactory().get("/media/"), put_media(name, content))
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_pictures_are_shown_inline_but_sandboxed():
    response = serve_media(RequestFactory().get("/media/"), put_media("photo.jpg", jpeg()))
    assert response["Content-Type"] == "image/jpeg"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_documents_are_not_served_from_the_media_folder_directly():
    with pytest.raises(Http404):
        serve_media(RequestFactory().get("/media/"), "documents/rules.pdf")


def test_objection_evidence_is_stored_outside_the_public_media_folder():
    from registrations.models.notice import evidence_storage

    private = Path(evidence_storage().location).resolve()
    public = Path(settings.MEDIA_ROOT).resolve()
    assert private == Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert public not in private.parents and private != public
