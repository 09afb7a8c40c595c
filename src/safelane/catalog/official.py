"""An entity type's official MSC document, uploaded by an administrator: read (msc_pdf), set
beside the current catalog, and on confirmation recorded as a new catalog edition.

What the document settles for its entity type, and nothing else:
- a criterion it lists applies to the entity type, with the document's Must or Should;
- a catalog criterion it does not list does not apply (the document says "ID numbers not listed
  are not applicable"), except where a CBP notice applies the criterion to every entity type
  (7.37 and 11.5, added after some documents were printed): the notice is kept and the line says
  so;
- an ID it lists that the catalog lacks is not added: the catalog's texts are Safelane's own
  summaries, translated and with evidence examples, and a text read out of a table is not
  reviewed. Such IDs are shown, kept with the document's own text on the upload and in the new
  edition's report, as "in the document, not in the catalog", for a later edition.

Every upload is an `OfficialUpload` row, refused or read, and then recorded: the catalog is
shared by every organisation, so this is its trail (the organisation audit log has no place for
it).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.catalog.entity_types import EntityType, entity_type
from safelane.catalog.loader import CatalogFileError, LoadResult, load, next_label
from safelane.catalog.loader import version_as_document as as_document
from safelane.catalog.models import (
    Basis,
    CatalogVersion,
    MustShould,
    OfficialUpload,
    UploadStatus,
    sort_key,
)
from safelane.catalog.msc_pdf import MAX_BYTES, DocumentRefusedError, read
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditSource

if TYPE_CHECKING:
    from safelane.accounts.models import User

logger = logging.getLogger(__name__)

__all__ = ["MAX_BYTES", "Kind", "compare", "record", "review", "upload"]


class Kind:
    NEW = "new"  # in the document, not in the catalog
    MISSING = "missing"  # in the catalog, not in the document: does not apply
    KEPT = "kept"  # not in the document, but a CBP notice applies it to every entity type
    CHANGED = "changed"  # Must/Should differs from the catalog's
    CONFIRMED = "confirmed"  # listed, and the catalog agrees on Must/Should


@dataclass(frozen=True)
class Line:
    """One criterion ID, in the document and in the catalog side by side."""

    ident: str
    kind: str
    document_ms: str | None  # "must", "should", "" (the cell said neither), None: not listed
    document_text: str
    catalog_ms: str | None  # the catalog's designation for this entity type; None: no criterion
    catalog_status: str  # "applies", "not-for", "unknown", "" (no criterion)
    catalog_basis: str
    requirement: str


@dataclass
class Comparison:
    entity: EntityType
    version: CatalogVersion
    lines: list[Line] = field(default_factory=list)

    def of(self, kind: str) -> list[Line]:
        return [line for line in self.lines if line.kind == kind]

    # The page's sections.
    @property
    def new(self) -> list[Line]:
        return self.of(Kind.NEW)

    @property
    def missing(self) -> list[Line]:
        return self.of(Kind.MISSING)

    @property
    def kept(self) -> list[Line]:
        return self.of(Kind.KEPT)

    @property
    def changed(self) -> list[Line]:
        return self.of(Kind.CHANGED)

    @property
    def confirmed(self) -> list[Line]:
        return self.of(Kind.CONFIRMED)

    @property
    def counts(self) -> dict[str, int]:
        return {
            kind: len(self.of(kind))
            for kind in (Kind.NEW, Kind.MISSING, Kind.KEPT, Kind.CHANGED, Kind.CONFIRMED)
        }


def _actor_label(actor: User | None) -> str:
    return actor.get_username() if actor else ""


def require_staff(actor: User | None) -> None:
    """The catalog is shared by every organisation of the installation, so only its
    administrators (staff accounts, or the command line: actor None) change it."""
    if actor is not None and not actor.is_staff:
        raise NotAllowedError(_("Only the administrators of this installation can do this."))


def upload(
    *,
    actor: User | None,
    content: bytes,
    file_name: str,
    size: int | None = None,
    source: str = AuditSource.WEB,
) -> OfficialUpload:
    """Read an uploaded document and keep what was found, or why it was refused; the catalog
    does not change. The record says which."""
    require_staff(actor)
    record = OfficialUpload(
        uploaded_by=actor,
        uploaded_by_label=_actor_label(actor),
        source=source,
        file_name=file_name[:255],
        size=len(content) if size is None else size,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    try:
        document = read(content)
    except DocumentRefusedError as refused:
        record.status = UploadStatus.REFUSED
        record.refusal = str(refused.message)
    else:
        record.status = UploadStatus.READ
        record.entity_type = document.entity.code
        record.heading = document.heading[:255]
        record.document_date = document.date[:60]
        record.pages = document.pages
        record.rows = [row.as_dict() for row in document.rows]
    record.save()
    logger.info(
        "official MSC document %s (%s) %s by %s: %s",
        record.pk,
        record.file_name,
        record.status,
        record.uploaded_by_label or "the command line",
        record.refusal or record.heading,
    )
    return record


def _catalog_side(item: dict[str, Any] | None, code: str) -> tuple[str | None, str, str]:
    if item is None:
        return None, "", ""
    ms = item.get("designations", {}).get(code) or item["must_should"]
    if code in item["applies_to"]:
        return ms, "applies", item["applies_to"][code]
    if code in item["not_for"]:
        return ms, "not-for", item["not_for"][code]
    return ms, "unknown", ""


def compare(record: OfficialUpload, version: CatalogVersion) -> Comparison:
    """The document's IDs beside the catalog edition's criteria, every ID once, in MSC order."""
    kind = entity_type(record.entity_type)
    if kind is None or record.status == UploadStatus.REFUSED:
        raise DomainError(_("This upload was refused; there is nothing to compare."))
    code = kind.code
    catalog = {c["id"]: c for c in as_document(version)["criteria"]}
    listed = {row["id"]: row for row in record.rows}
    result = Comparison(entity=kind, version=version)
    for ident in sorted(set(catalog) | set(listed), key=sort_key):
        item, row = catalog.get(ident), listed.get(ident)
        catalog_ms, status, basis = _catalog_side(item, code)
        if row is None:
            line_kind = (
                Kind.KEPT if basis == Basis.CBP_NOTICE and status == "applies" else Kind.MISSING
            )
        elif item is None:
            line_kind = Kind.NEW
        elif row["must_should"] and row["must_should"] != catalog_ms:
            line_kind = Kind.CHANGED
        else:
            line_kind = Kind.CONFIRMED
        result.lines.append(
            Line(
                ident=ident,
                kind=line_kind,
                document_ms=row["must_should"] if row else None,
                document_text=row["criteria"] if row else "",
                catalog_ms=catalog_ms,
                catalog_status=status,
                catalog_basis=basis,
                requirement=item["requirement"] if item else "",
            )
        )
    return result


def edition(comparison: Comparison) -> dict[str, Any]:
    """The current edition as a catalog document, with the entity type's applicability and
    designations as the document gives them."""
    code = comparison.entity.code
    doc = as_document(comparison.version)
    lines = {line.ident: line for line in comparison.lines}
    for item in doc["criteria"]:
        line = lines[item["id"]]
        designations = dict(item.get("designations", {}))
        if line.kind in {Kind.CONFIRMED, Kind.CHANGED}:
            item["applies_to"][code] = Basis.OFFICIAL_UPLOAD
            item["not_for"].pop(code, None)
            # Kept only where it differs from the criterion's own, so the report stays short.
            if line.document_ms in {MustShould.MUST, MustShould.SHOULD}:
                designations[code] = line.document_ms
            if designations.get(code) == item["must_should"]:
                designations.pop(code)
        elif line.kind == Kind.MISSING:
            item["applies_to"].pop(code, None)
            item["not_for"][code] = Basis.OFFICIAL_UPLOAD
            designations.pop(code, None)
        item["designations"] = designations
    return doc


def record(
    *, actor: User | None, upload_record: OfficialUpload, expected_version: int
) -> LoadResult:
    """Record the document's applicability and designations as a new catalog edition, made
    current. `expected_version` is the edition the person compared against: if another edition
    became current meanwhile, they must look at the comparison again."""
    require_staff(actor)
    with transaction.atomic():
        locked = OfficialUpload.objects.select_for_update().get(pk=upload_record.pk)
        if locked.status == UploadStatus.RECORDED:
            raise ConflictError(_("This document has been recorded already."), current=locked)
        if locked.status != UploadStatus.READ:
            raise DomainError(_("This upload was refused; there is nothing to record."))
        current = CatalogVersion.objects.select_for_update().filter(is_current=True).first()
        if current is None or current.pk != expected_version:
            raise ConflictError(
                _(
                    "The catalog changed since you looked at this comparison: check it again "
                    "against the current edition before recording it."
                ),
                current=current,
            )
        comparison = compare(locked, current)
        now = timezone.now()
        name = comparison.entity.name
        by = _actor_label(actor) or _("the command line")
        note = _(
            "%(entity)s: applicability and Must/Should from the official document "
            "'%(heading)s', uploaded by %(by)s on %(date)s."
        ) % {"entity": name, "heading": locked.heading, "by": by, "date": f"{now:%Y-%m-%d}"}
        doc = edition(comparison)
        doc["revision_note"] = note
        try:
            result = load(
                doc,
                source=f"official document, uploaded by {by} on {now:%Y-%m-%d}"[:255],
                actor=actor,
                label=_edition_label(current, comparison.entity.code),
            )
        except CatalogFileError as exc:
            raise DomainError("; ".join(exc.problems)) from None
        if result.created:
            result.version.changes = {
                **result.version.changes,
                "official": {
                    "entity_type": comparison.entity.code,
                    "heading": locked.heading,
                    "upload": locked.pk,
                    "not_in_catalog": [
                        row
                        for row in locked.rows
                        if row["id"] in {x.ident for x in comparison.of(Kind.NEW)}
                    ],
                    "kept_by_notice": [line.ident for line in comparison.of(Kind.KEPT)],
                },
            }
            result.version.save(update_fields=["changes"])
        locked.status = UploadStatus.RECORDED
        locked.compared_with = current
        locked.recorded_as = result.version
        locked.recorded_at = now
        locked.recorded_by_label = _actor_label(actor)
        locked.save(
            update_fields=[
                "status",
                "compared_with",
                "recorded_as",
                "recorded_at",
                "recorded_by_label",
            ]
        )
    logger.info(
        "official MSC document %s recorded as catalog %s by %s",
        locked.pk,
        result.version.label,
        by,
    )
    return result


def _edition_label(current: CatalogVersion, code: str) -> str:
    """The current edition's base name, the time and the entity type
    ("2019-11.2+20261202-140503-FM"), made unique if two are recorded in the same second."""
    label = f"{next_label(current.label)}-{code}"
    taken = set(
        CatalogVersion.objects.filter(label__startswith=label).values_list("label", flat=True)
    )
    return next(
        name
        for n in range(1, len(taken) + 2)
        if (name := label if n == 1 else f"{label}-{n}") not in taken
    )


def recorded_message(result: LoadResult) -> str:
    if not result.created:
        return _("The catalog already says what the document says: nothing changed.")
    return _("Catalog %(label)s is now current.") % {"label": result.version.label}


@dataclass(frozen=True)
class Review:
    """The page of one upload: the record, and the comparison with the edition it is (or was)
    set beside; None when there is nothing to compare (a refused file, no catalog)."""

    upload: OfficialUpload
    comparison: Comparison | None
    can_record: bool


def review(upload_record: OfficialUpload) -> Review:
    recorded = upload_record.status == UploadStatus.RECORDED
    current = CatalogVersion.objects.filter(is_current=True)
    version = upload_record.compared_with if recorded else current.first()
    readable = upload_record.status != UploadStatus.REFUSED and entity_type(
        upload_record.entity_type
    )
    comparison = compare(upload_record, version) if readable and version is not None else None
    can_record = comparison is not None and upload_record.status == UploadStatus.READ
    return Review(upload_record, comparison, can_record)
