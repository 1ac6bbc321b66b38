"""export_campaign / import_campaign: the session's demo campaign, out and into a new database.

The round trip runs the import in a subprocess with its own ``DATABASE_URL`` (a new SQLite
file, migrated there) and its own media folders, as an operator restoring on a new server
would, then compares: every archived row, the page tree, the personal data as stored, the
media files by checksum, and that the restored site serves its pages.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Locale, Page

from campaign_pages import archive
from campaign_pages.models import CampaignPage, ResidencePage
from registrations.models import Objection, PublicNoticePage, Registration

ROOT = Path(__file__).resolve().parents[2]
DEVNULL = open("/dev/null", "w")  # noqa: SIM115

pytestmark = pytest.mark.django_db


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def jpeg():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "#2a6f97").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def objection_with_evidence(campaign):
    """An objection with an evidence file in the private media folder (not in the demo)."""
    notice = PublicNoticePage.objects.descendant_of(campaign).get()
    candidate = ResidencePage.objects.descendant_of(campaign).live().first()
    objection = Objection.objects.create(
        page=notice, candidate=candidate, name="演示人", phone="17410000009", facts="演示异议内容"
    )
    evidence = objection.evidence.create(kind="image", original_name="photo.jpg", size=10)
    evidence.file.save("evidence.jpg", ContentFile(jpeg()))
    objection.changes.create(old_status="", new_status="open")
    return objection


def page_tree(campaign):
    pages = archive.campaign_pages_of(campaign).order_by("path")
    return [
        [
            p.path,
            p.depth,
            p.numchild,
            p.title,
            p.slug,
            p.url_path,
            p.locale.language_code,
            p.content_type.model,
            p.live,
        ]  # fmt: skip
        for p in pages.select_related("locale", "content_type")
    ]


RESTORED_SITE = """
import hashlib, json
from django.test import Client
from wagtail.models import Page
from campaign_pages import archive
from campaign_pages.models import CampaignPage, ResidencePage
from registrations.models import Registration
campaign = CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans")
pages = archive.campaign_pages_of(campaign).order_by("path")
pages = pages.select_related("locale", "content_type")
client = Client(HTTP_HOST="127.0.0.1")
candidate = ResidencePage.objects.descendant_of(campaign).live().first()
urls = ["/2016/", "/en/2016/", "/2016/candidates/", candidate.url, "/2016/leaderboard/",
        "/search/?q=平安"]
phones = "|".join(sorted(r.contact_phone for r in Registration.objects.all()))
print(json.dumps({
    "tree": [[p.path, p.depth, p.numchild, p.title, p.slug, p.url_path,
              p.locale.language_code, p.content_type.model, p.live] for p in pages],
    "root_children": Page.objects.get(depth=1).numchild,
    "phones": hashlib.sha256(phones.encode()).hexdigest(),
    "status": {url: client.get(url).status_code for url in urls},
}))
"""


def run(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip


def test_campaign_round_trip_into_a_new_database_keeps_everything(
    campaign, objection_with_evidence, tmp_path
):
    exported = tmp_path / "campaign-2016.zip"
    call_command("export_campaign", "2016", str(exported), stdout=DEVNULL)
    with zipfile.ZipFile(exported) as source:
        manifest = json.loads(source.read("manifest.json"))
        records = json.loads(source.read("data.json"))
    counts = manifest["counts"]
    # What the brief lists is in there: pages of both languages with their revisions,
    # registrations and their history, votes, voters, tallies, objections with evidence …
    for model_label in (
        "wagtailcore.page", "wagtailcore.revision", "campaign_pages.campaignpage",
        "campaign_pages.residencepage", "registrations.registration", "registrations.statuschange",
        "voting.vote", "voting.voter", "voting.voterday", "voting.tally",
        "registrations.objection", "registrations.objectionevidence",
        "registrations.objectionchange", "media_reports.liveentry", "wagtailimages.image",
        "wagtailmedia.media", "campaign_pages.street",
    ):  # fmt: skip
        assert counts.get(model_label), f"{model_label} is missing from the archive"
    # The demo has one campaign, so every row of the project's models belongs to it: a model
    # added later and not linked to the campaign's pages would show up here.
    for app_label in archive.PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.proxy or archive.skipped(model):
                continue
            rows = model._base_manager.count()
            assert counts.get(archive.label(model), 0) == rows, f"{model._meta.label}: {rows} rows"
    assert counts["voting.vote"] == campaign_votes(campaign)
    # Moments keep their microseconds (the order of votes cast in the same millisecond).
    from django.utils.dateparse import parse_datetime

    from voting.models import Vote

    cast_at = dict(Vote.objects.values_list("pk", "created_at"))
    for record in records:
        if record["model"] == "voting.vote":
            assert parse_datetime(record["fields"]["created_at"]) == cast_at[record["pk"]]
    assert (
        counts["registrations.registration"]
        == Registration.objects.filter(campaign=campaign).count()
    )
    locales = {r["fields"]["locale"] for r in records if r["model"] == "wagtailcore.page"}
    assert locales == set(Locale.objects.values_list("pk", flat=True))  # both languages
    # Contact numbers are archived as stored: ciphertext, never the number.
    stored = next(r for r in records if r["model"] == "registrations.objection")["fields"]["phone"]
    assert "17410000009" not in json.dumps(records) and stored.startswith("gAAAA")
    assert all(not entry.get("missing") for entry in manifest["files"])

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pingan.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"),
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "VOTER_HASH_KEY": settings.VOTER_HASH_KEY,
    }
    env.pop("REDIS_URL", None)
    assert run(env, "migrate", "--noinput", "-v0").returncode == 0
    imported = run(env, "import_campaign", str(exported))
    assert imported.returncode == 0, imported.stderr
    assert "Imported" in imported.stdout

    # Export the restored campaign again: the same rows, field by field, and the same files.
    again = tmp_path / "again.zip"
    assert run(env, "export_campaign", "2016", str(again)).returncode == 0
    with zipfile.ZipFile(again) as restored:
        manifest_again = json.loads(restored.read("manifest.json"))
        records_again = json.loads(restored.read("data.json"))
    assert manifest_again["counts"] == counts

    def keyed(rows):
        return {(r["model"], json.dumps(r.get("pk"))): r["fields"] for r in rows}

    assert keyed(records_again) == keyed(records)

    # Every file is back in its storage, byte for byte (public media and private evidence).
    for entry in manifest["files"]:
        folder = "private-media" if entry["model"] == "registrations.objectionevidence" else "media"
        restored_file = tmp_path / folder / entry["name"]
        assert restored_file.exists(), entry
        assert sha256(restored_file) == entry["sha256"]
    evidence = objection_with_evidence.evidence.get()
    assert sha256(tmp_path / "private-media" / evidence.file.name) == sha256(evidence.file.path)

    # The page tree, the numbers behind the ciphertext and the site itself.
    site = run(env, "shell", "-v0", "-c", RESTORED_SITE)
    assert site.returncode == 0, site.stderr
    state = json.loads(site.stdout.strip().splitlines()[-1])
    assert state["tree"] == page_tree(campaign)
    assert state["root_children"] == 2  # the two home pages; the welcome page is gone
    phones = sorted(r.contact_phone for r in Registration.objects.all())
    assert state["phones"] == hashlib.sha256("|".join(phones).encode()).hexdigest()
    assert set(state["status"].values()) == {200}, state["status"]

    # A second import into the now full database is refused, and changes nothing.
    refused = run(env, "import_campaign", str(exported))
    assert refused.returncode != 0
    assert "not empty" in refused.stderr


def campaign_votes(campaign):
    from voting.models import Vote

    return Vote.objects.filter(campaign=campaign).count()


def test_import_into_a_database_with_content_is_refused_and_changes_nothing(tmp_path):
    exported = tmp_path / "campaign.zip"
    call_command("export_campaign", "2016", str(exported), stdout=DEVNULL)
    before = (Page.objects.count(), Registration.objects.count())
    with pytest.raises(CommandError, match="This database is not empty"):
        call_command("import_campaign", str(exported), stdout=DEVNULL)
    assert (Page.objects.count(), Registration.objects.count()) == before


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("not an archive")
    with pytest.raises(CommandError, match="cannot be read as a zip archive"):
        call_command("import_campaign", str(not_zip))
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as other:
        other.writestr("readme.txt", "hello")
    with pytest.raises(CommandError, match="not a campaign archive"):
        call_command("import_campaign", str(other_zip))


def test_unknown_campaign_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(CommandError, match="Campaigns: 2016"):
        call_command("export_campaign", "1999", str(tmp_path / "x.zip"))


def test_campaign_can_be_named_by_id_in_either_language(tmp_path):
    english = CampaignPage.objects.get(slug="2016", locale__language_code="en")
    call_command("export_campaign", str(english.pk), str(tmp_path / "x.zip"), stdout=DEVNULL)
    with zipfile.ZipFile(tmp_path / "x.zip") as exported:
        manifest = json.loads(exported.read("manifest.json"))
    assert manifest["campaign"]["slug"] == "2016"
    assert (
        manifest["campaign"]["id"]
        == CampaignPage.objects.get(slug="2016", locale__language_code="zh-hans").pk
    )


def test_contact_data_under_other_keys_is_refused():
    with pytest.raises(archive.ArchiveError, match="FIELD_ENCRYPTION_KEYS"):
        archive.decrypt_or_refuse("gAAAAABnot-a-token-of-these-keys")
