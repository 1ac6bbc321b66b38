"""One campaign as a single archive, and back: ``export_campaign`` and ``import_campaign``.

The archive is a zip file with

- ``manifest.json``: what it is (format, version, the campaign, when, the migrations the data
  fits), how many rows of each model and every file with its size and SHA-256;
- ``data.json``: the rows, in Django's serialisation (``python`` serialiser, written as JSON);
- ``files/…``: the uploaded files those rows use (images, videos, documents, evidence).

**What belongs to a campaign** is found by walking relations, so a model added later is
archived without a change here as long as it is linked to the campaign's pages:

- *owned* rows: the campaign page and everything under it, in every language, with the home
  pages above it and the site; then, recursively, every row that points at an owned row by a
  foreign key (registrations, status histories, votes, tallies, voters' days, results,
  inspections, panel scores, selection records, objections and their evidence, live entries,
  sign-ups, …) and wagtail-localize's translation records of the pages;
- *referenced* rows: whatever an archived row points at (voters, accounts, images, documents,
  videos, the page revisions — the live one and the latest draft — locales, workflows), and
  what page content refers to inside StreamField and rich text; with their own inline children
  (``ParentalKey``) and the rest of a multi-table row (a page's specific part), but not the
  rows that point at *them* (a voter's votes in another campaign are not in this archive);
- reference tables copied whole: ``ARCHIVED_WHOLE`` (the district's streets and communities,
  street officers).

Left out on purpose: content types and permissions (present after ``migrate``, referred to by
natural key), sessions, logs, the search and reference indexes (rebuilt on import), image
renditions (made again on demand), one-time voting codes (they expire in minutes) and
django-tasks-db results.

Personal data stays as stored: encrypted fields (``EncryptedCharField``) are written as their
ciphertext and restored as the same ciphertext, voters as their keyed hashes. The importing
site therefore needs the exporting site's ``FIELD_ENCRYPTION_KEYS`` and ``VOTER_HASH_KEY``
(import checks the first and refuses without it). An archive is as sensitive as a database
dump: it also holds the accounts' password hashes.
"""

import hashlib
import json
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, time

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.models import Collection, Locale, Page, Site

from campaign_pages.crypto import EncryptedCharField, fernet

FORMAT = "pingan-campaign"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"

# The project's own apps: an import target must hold none of their rows.
PROJECT_APPS = ("campaign_pages", "registrations", "media_reports", "voting")
# Never archived (see the module docstring).
SKIPPED_APPS = {
    "contenttypes",
    "sessions",
    "admin",
    "wagtailsearch",
    "captcha",
    "django_tasks_database",
}
SKIPPED_MODELS = {
    "auth.permission",
    "wagtailcore.referenceindex",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailimages.rendition",
    "wagtailusers.userprofile",
    "wagtailembeds.embed",
    "voting.phonecode",
}
# Reference tables archived whole ("app.model"; a model that does not exist is ignored).
ARCHIVED_WHOLE = ("campaign_pages.street", "campaign_pages.community", "voting.streetofficer")
# Referred to by natural key rather than by id: they exist (or may) in the importing database.
NATURAL_KEY_MODELS = {"contenttypes.contenttype", "auth.permission", "auth.group", "auth.user"}
# Rows identified by their natural key on import (an existing group or account is reused).
NATURAL_PRIMARY_KEY_MODELS = {"auth.group", "auth.user"}
BATCH = 500


class ArchiveError(Exception):
    """Why an archive cannot be written or read (shown to the operator as is)."""


def label(model):
    return model._meta.concrete_model._meta.label_lower


def skipped(model):
    meta = model._meta.concrete_model._meta
    return meta.app_label in SKIPPED_APPS or meta.label_lower in SKIPPED_MODELS


# -- finding what belongs to the campaign ---------------------------------------------------


class Collector:
    """The rows of one campaign: owned rows with everything that points at them, and what they use.

    Works in batches per model (``pk__in`` queries), so a campaign with many votes needs a
    number of queries proportional to the models and relations, not to the rows.
    """

    def __init__(self):
        self.rows = defaultdict(set)  # model -> pks collected
        self.owned = defaultdict(set)  # model -> pks whose referrers are collected too
        self.pending = defaultdict(set)  # (model, owned) -> pks still to expand

    def add(self, model, pks, owned=False):
        model = model._meta.concrete_model
        if skipped(model):
            return
        pks = {pk for pk in pks if pk is not None}
        new = pks - (self.owned[model] if owned else self.rows[model])
        if not new:
            return
        self.rows[model] |= new
        if owned:
            self.owned[model] |= new
        self.pending[(model, owned)] |= new

    def run(self):
        while self.pending:
            (model, owned), pks = self.pending.popitem()
            pks = sorted(pks)
            for start in range(0, len(pks), BATCH):
                self.expand(model, pks[start : start + BATCH], owned)

    def expand(self, model, pks, owned):
        meta = model._meta
        # The other parts of a multi-table row: its parents, and (below) its children.
        for parent in meta.parents:
            self.add(parent, pks, owned)
        rows = model._base_manager.filter(pk__in=pks)
        for field in meta.local_concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            target = field.related_model
            if skipped(target):
                continue
            values = set(
                rows.exclude(**{field.attname: None}).values_list(field.attname, flat=True)
            )
            if not values:
                continue
            to_field = field.target_field.attname
            if to_field != target._meta.pk.attname:
                values = target._base_manager.filter(**{f"{to_field}__in": values}).values_list(
                    "pk", flat=True
                )
            self.add(target, values)
        for field in meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # e.g. tags: their through rows are inline children, found below
            targets = through._base_manager.filter(
                **{f"{field.m2m_field_name()}__in": pks}
            ).values_list(field.m2m_reverse_name(), flat=True)
            self.add(field.related_model, targets)
            if isinstance(field, ParentalManyToManyField):
                # modelcluster saves these links itself: archive the link rows as rows.
                links = through._base_manager.filter(**{f"{field.m2m_field_name()}__in": pks})
                self.add(through, links.values_list("pk", flat=True), owned=True)
        for relation in reverse_relations(model):
            if skipped(relation.related_model):
                continue
            field = relation.field
            follow = owned or isinstance(field, ParentalKey) or field.remote_field.parent_link
            if not follow:
                continue
            referrers = relation.related_model._base_manager.filter(
                **{f"{field.name}__in": pks}
            ).values_list("pk", flat=True)
            self.add(relation.related_model, referrers, owned=owned)
        if any(hasattr(field, "extract_references") for field in meta.local_fields):
            self.add_content_references(model, rows)
        if issubclass(model, Collection):
            for collection in rows:
                self.add(Collection, collection.get_ancestors().values_list("pk", flat=True))

    def add_content_references(self, model, rows):
        """Images, documents, videos and snippets chosen inside StreamField and rich text.

        Page links are not followed: a link to a page outside the campaign stays a link.
        """
        fields = [
            field for field in model._meta.local_fields if hasattr(field, "extract_references")
        ]
        for row in rows:
            for field in fields:
                value = field.value_from_object(row)
                if value is None:
                    continue
                for to_model, to_id, _model_path, _content_path in field.extract_references(value):
                    if to_model is None or issubclass(to_model, Page):
                        continue
                    if to_id not in (None, ""):
                        self.add(to_model, [to_model._meta.pk.to_python(to_id)])


def reverse_relations(model):
    """Foreign keys of other models to this one, hidden ones (``related_name="+"``) included."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def campaign_pages_of(campaign):
    """The campaign's pages in every language, with their ancestors below the root."""
    translations = Page.objects.filter(translation_key=campaign.translation_key)
    pages = Page.objects.none()
    for translation in translations:
        pages |= Page.objects.descendant_of(translation, inclusive=True)
        pages |= translation.get_ancestors().filter(depth__gt=1)
    return pages.distinct()


def collect_campaign(campaign):
    collector = Collector()
    pages = campaign_pages_of(campaign)
    page_ids = set(pages.values_list("pk", flat=True))
    collector.add(Page, page_ids, owned=True)
    collector.add(
        Site, Site.objects.filter(root_page__in=page_ids).values_list("pk", flat=True), owned=True
    )
    if apps.is_installed("wagtail_localize"):
        translatable = apps.get_model("wagtail_localize", "TranslatableObject")
        keys = pages.values_list("translation_key", flat=True)
        collector.add(
            translatable,
            translatable.objects.filter(translation_key__in=keys).values_list("pk", flat=True),
            owned=True,
        )
    for model_label in ARCHIVED_WHOLE:
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue
        collector.add(model, model._base_manager.values_list("pk", flat=True))
    collector.run()
    # Revisions are found through the pages' live and latest revision: scan the draft's
    # content too, so an image used only in an unpublished draft comes along.
    revision_model = apps.get_model("wagtailcore", "Revision")
    for revision in revision_model.objects.filter(pk__in=collector.rows[revision_model]):
        try:
            draft = revision.as_object()
        except Exception:  # noqa: BLE001 - a draft of a model that no longer loads: skip it
            continue
        collector.add_content_references(type(draft)._meta.concrete_model, [draft])
    collector.run()
    outside = set(collector.rows[Page]) - page_ids
    if outside:
        raise ArchiveError(
            "These pages outside the campaign are referred to by its data, so the archive "
            f"could not be restored on its own: {sorted(outside)}"
        )
    return collector


# -- writing -----------------------------------------------------------------------------------


class Serializer(PythonSerializer):
    """Django's serialiser, with natural keys only for the models that exist everywhere."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = label(field.remote_field.model) in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = label(field.remote_field.model) in NATURAL_KEY_MODELS
        super().handle_m2m_field(obj, field)

    def get_dump_object(self, obj):
        self.use_natural_primary_keys = label(type(obj)) in NATURAL_PRIMARY_KEY_MODELS
        return super().get_dump_object(obj)


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def encrypted_fields(model):
    return [
        field
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedCharField)
    ]


def stored_ciphertexts(model, pks, fields):
    """``{pk: {field name: ciphertext}}`` as stored, without decrypting."""
    casts = {f"_stored_{field.name}": Cast(field.name, models.TextField()) for field in fields}
    rows = model._base_manager.filter(pk__in=pks).annotate(**casts).values("pk", *casts)
    return {
        row["pk"]: {field.name: row[f"_stored_{field.name}"] for field in fields} for row in rows
    }


def ordered_models(models_):
    """Accounts and groups first (others refer to them by natural key), then by label."""
    first = [m for m in models_ if label(m) == "auth.group"] + [
        m for m in models_ if label(m) == "auth.user"
    ]
    rest = sorted((m for m in models_ if m not in first), key=label)
    return first + rest


def serialise(collector):
    records = []
    for model in ordered_models(list(collector.rows)):
        pks = sorted(collector.rows[model])
        fields = encrypted_fields(model)
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            rows = model._base_manager.filter(pk__in=chunk).order_by("pk")
            dumped = Serializer().serialize(rows)
            if fields:
                stored = stored_ciphertexts(model, chunk, fields)
                for record in dumped:
                    record["fields"].update(stored[record["pk"]])
            records.extend(dumped)
    return records


def file_fields(model):
    return [
        field for field in model._meta.local_concrete_fields if isinstance(field, models.FileField)
    ]


def files_of(collector):
    """Each stored file the rows use, once: ``(model, field, name)``."""
    seen = set()
    for model, pks in collector.rows.items():
        for field in file_fields(model):
            names = (
                model._base_manager.filter(pk__in=pks)
                .exclude(**{field.attname: ""})
                .values_list(field.attname, flat=True)
            )
            for name in names:
                key = (label(model), field.name, name)
                if name and key not in seen:
                    seen.add(key)
                    yield model, field, name


def applied_migrations():
    """The newest applied migration of each app (the schema the data fits)."""
    latest = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        latest.setdefault(app_label, set()).add(name)
    return {app_label: sorted(names) for app_label, names in latest.items()}


@contextmanager
def consistent_snapshot():
    """On PostgreSQL, read everything from one snapshot while the site keeps taking votes.

    (SQLite's transactions would take its one write lock for the whole export, so there the
    export reads as it goes: run it in a quiet moment, or stop the site for a final archive.)
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def export_campaign(campaign, path, log=print):
    """Write ``campaign`` (any language version) and all that belongs to it to ``path``."""
    campaign = campaign.get_translation_or_none(Locale.get_default()) or campaign
    with consistent_snapshot():
        return write_archive(campaign, path, log)


def write_archive(campaign, path, log):
    collector = collect_campaign(campaign)
    records = serialise(collector)
    counts = defaultdict(int)
    for record in records:
        counts[record["model"]] += 1
    files = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, field, name in files_of(collector):
            storage = field.storage
            entry = {"model": label(model), "field": field.name, "name": name}
            if not storage.exists(name):
                log(f"warning: {entry['model']}.{field.name} file {name} is missing; left out")
                files.append({**entry, "missing": True})
                continue
            member = f"files/{label(model)}/{field.name}/{name}"
            digest = hashlib.sha256()
            size = 0
            with storage.open(name, "rb") as source, archive.open(member, "w") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            files.append({**entry, "archive": member, "size": size, "sha256": digest.hexdigest()})
        archive.writestr(DATA, json.dumps(records, cls=ArchiveJSONEncoder, ensure_ascii=False))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "campaign": {
                "id": campaign.pk,
                "slug": campaign.slug,
                "title": campaign.title,
                "translation_key": str(campaign.translation_key),
            },
            "exported_at": datetime.now(UTC).isoformat(),
            "database": connection.vendor,
            "migrations": applied_migrations(),
            "counts": dict(sorted(counts.items())),
            "files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


# -- reading -----------------------------------------------------------------------------------


def read_manifest(archive):
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise ArchiveError("This file is not a campaign archive (no manifest.json).") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ArchiveError(
            f"This archive's format is {manifest.get('format')} version {manifest.get('version')}; "
            f"this site reads {FORMAT} version {VERSION}."
        )
    return manifest


def initial_pages():
    """Wagtail's "Welcome" page that ``migrate`` makes: a plain page under the root, childless."""
    return Page.objects.filter(
        depth=2, numchild=0, content_type__model="page", content_type__app_label="wagtailcore"
    )


def reasons_not_empty():
    """Why this database is not an empty one (after ``migrate``), or an empty list."""
    reasons = []
    pages = Page.objects.filter(depth__gte=2).exclude(pk__in=initial_pages())
    if pages.exists():
        reasons.append(f"{pages.count()} pages besides Wagtail's initial one")
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.proxy or issubclass(model, Page):
                continue
            if model._base_manager.exists():
                reasons.append(f"rows in {model._meta.label}")
    for model_label in ("wagtailimages.image", "wagtaildocs.document", "wagtailmedia.media"):
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue
        if model._base_manager.exists():
            reasons.append(f"rows in {model._meta.label}")
    return reasons


def check_migrations(manifest):
    applied = applied_migrations()
    missing = [
        f"{app_label}.{name}"
        for app_label, names in manifest["migrations"].items()
        for name in names
        if name not in applied.get(app_label, ())
    ]
    if missing:
        raise ArchiveError(
            "The archive comes from a newer version of the site (or this database is not "
            f"migrated): run `manage.py migrate` with that version first. Missing: {missing[:10]}"
        )


def check_locales(records):
    for record in records:
        if record["model"] != "wagtailcore.locale":
            continue
        existing = Locale.objects.filter(language_code=record["fields"]["language_code"]).first()
        if existing is not None and existing.pk != record["pk"]:
            raise ArchiveError(
                f"Locale {existing.language_code} has id {existing.pk} here and {record['pk']} in "
                "the archive: import into a database that has only just been migrated."
            )


def decrypt_or_refuse(value):
    try:
        return fernet().decrypt(value.encode()).decode()
    except InvalidToken as error:
        raise ArchiveError(
            "The archive's encrypted contact data does not decrypt with this site's "
            "FIELD_ENCRYPTION_KEYS: set the exporting site's keys (and VOTER_HASH_KEY) first."
        ) from error


def save_records(records):
    """Save every row as it was (raw saves, same ids); restore ciphertexts exactly."""
    ciphertexts = []  # (model, pk, {column: ciphertext})
    deferred = []
    for item in serializers.deserialize("python", records, handle_forward_references=True):
        obj = item.object
        model = type(obj)
        if label(model) == "auth.user" and obj.pk is not None:
            continue  # an account of that name exists here already: it is kept as it is
        stored = {}
        for field in encrypted_fields(model):
            value = getattr(obj, field.attname)
            if value:
                stored[field.column] = value
                setattr(obj, field.attname, decrypt_or_refuse(value))
        item.save()
        if stored:
            ciphertexts.append((model, obj.pk, stored))
        if item.deferred_fields:
            deferred.append(item)
    for item in deferred:
        item.save_deferred_fields()
    with connection.cursor() as cursor:
        for model, pk, stored in ciphertexts:
            assignments = ", ".join(
                f"{connection.ops.quote_name(column)} = %s" for column in stored
            )
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {assignments} "  # noqa: S608 - names quoted, values bound
                f"WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s",
                [*stored.values(), pk],
            )


def restore_files(archive, manifest):
    """Write each file back into its field's storage under its own name, checking its checksum."""
    restored = 0
    for entry in manifest["files"]:
        if entry.get("missing"):
            continue
        field = apps.get_model(entry["model"])._meta.get_field(entry["field"])
        storage = field.storage
        name = entry["name"]
        digest = hashlib.sha256()
        with archive.open(entry["archive"]) as member:
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(HashingReader(member, digest), name=name))
        if saved != name:
            raise ArchiveError(f"{name} was stored as {saved}: the media folder is not empty")
        if digest.hexdigest() != entry["sha256"]:
            raise ArchiveError(f"{name} does not match its checksum: the archive is damaged")
        restored += 1
    return restored


class HashingReader:
    """A file-like reader that hashes what is read through it."""

    def __init__(self, source, digest):
        self.source = source
        self.digest = digest

    def read(self, size=-1):
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk

    def __getattr__(self, name):
        return getattr(self.source, name)


def reset_sequences(records):
    model_labels = {record["model"] for record in records}
    sql = connection.ops.sequence_reset_sql(no_style(), [apps.get_model(m) for m in model_labels])
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def import_campaign(path, log=print):
    """Restore an archive into this (empty, migrated) database and its media storage."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"{path} cannot be read as a zip archive: {error}") from error
    with archive:
        manifest = read_manifest(archive)
        check_migrations(manifest)
        reasons = reasons_not_empty()
        if reasons:
            raise ArchiveError(
                "This database is not empty, and importing would mix two sites' data: "
                + "; ".join(reasons)
                + ". Import into a new database after `manage.py migrate`."
            )
        records = json.loads(archive.read(DATA))
        check_locales(records)
        with transaction.atomic():
            # The welcome page of a fresh database (and its Site) makes way for the archive's.
            initial_pages().delete()
            save_records(records)
            Page.fix_tree()  # numchild of the root and of pages whose other children stayed out
            Collection.fix_tree()
            reset_sequences(records)
            connection.check_constraints(
                table_names=[apps.get_model(m)._meta.db_table for m in manifest["counts"]]
            )
            restored = restore_files(archive, manifest)
    slug = manifest["campaign"]["slug"]
    log(f"Imported {len(records)} rows and {restored} files of campaign {slug}.")
    # Derived data, rebuilt rather than archived.
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    return manifest
