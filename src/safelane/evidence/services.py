"""Adding evidence and its versions, linking it to criteria and responses, archiving and
restoring it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.catalog import services as catalog_services
from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, set_archived, update_record
from safelane.evidence import uploads
from safelane.evidence.models import Evidence, EvidenceLink, EvidenceVersion, ToConfirm
from safelane.evidence.selectors import links_to
from safelane.evidence.subjects import SUBJECTS, Subject
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def add_version(
    *, org: Organisation, actor: User, evidence: Evidence, upload: UploadedFile
) -> EvidenceVersion:
    """Check the file, store it, record it. A refused or failed upload leaves nothing behind;
    archived evidence takes no new version until it is restored."""
    require_role(org, actor, Role.CONTRIBUTOR)
    ensure_active(evidence)
    checked = uploads.check(upload)
    path = default_storage.save(
        uploads.storage_key(org.pk, checked.safe_name), ContentFile(checked.content)
    )
    try:
        with transaction.atomic():
            # One version at a time per document, so two uploads at once number 2 and 3.
            stored = Evidence.objects.for_org(org).select_for_update().get(pk=evidence.pk)
            ensure_active(stored)
            number = (
                EvidenceVersion.objects.for_org(org)
                .filter(evidence=evidence)
                .aggregate(n=Max("number"))["n"]
                or 0
            ) + 1
            return create_record(
                org=org,
                actor=actor,
                obj=EvidenceVersion(
                    organisation=org,
                    evidence=evidence,
                    number=number,
                    file=path,
                    original_name=checked.safe_name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    uploaded_by=actor,
                ),
            )
    except Exception:
        default_storage.delete(path)
        raise


def ensure_active(evidence: Evidence) -> None:
    """Archived evidence stays as it was archived: no new version, no new link."""
    if evidence.archived_at is not None:
        raise DomainError(
            _("%(title)s is archived: a manager can restore it to the library first.")
            % {"title": evidence.title}
        )


def create_evidence(
    *,
    org: Organisation,
    actor: User,
    values: dict[str, Any],
    upload: UploadedFile,
    criteria: list[str] | None = None,
    subject: Any = None,
) -> Evidence:
    require_role(org, actor, Role.CONTRIBUTOR)
    criteria = catalog_services.check_criteria(org=org, idents=criteria or [])
    uploads.check(upload)  # refuse a bad file before anything is written
    upload.seek(0)
    kind = _subject_kind(subject) if subject is not None else None
    if kind is not None and kind.guard is not None:
        kind.guard(org=org, actor=actor, subject=subject)
    with transaction.atomic():
        evidence = create_record(org=org, actor=actor, obj=Evidence(organisation=org, **values))
        add_version(org=org, actor=actor, evidence=evidence, upload=upload)
        if subject is not None:
            link(org=org, actor=actor, evidence=evidence, subject=subject)
            # The subject's own criterion is linked with it; do not link it twice on its own.
            criteria = [c for c in criteria or [] if c != _subject_kind(subject).criterion(subject)]
        for ident in criteria or []:
            link(org=org, actor=actor, evidence=evidence, criterion_ident=ident)
    return evidence


def update_evidence(
    *,
    org: Organisation,
    actor: User,
    evidence: Evidence,
    expected_version: int | None,
    values: dict[str, Any],
) -> Evidence:
    require_role(org, actor, Role.CONTRIBUTOR)
    return update_record(
        org=org, actor=actor, obj=evidence, expected_version=expected_version, values=values
    )


def archive(
    *, org: Organisation, actor: User, evidence: Evidence, expected_version: int | None = None
) -> Evidence:
    """Archived evidence leaves the library; its files and links stay for the record."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners archive evidence."))
    return set_archived(
        org=org,
        actor=actor,
        obj=evidence,
        archived=True,
        expected_version=expected_version,
        refusal=_("%(title)s is archived already.") % {"title": evidence.title},
    )


def restore(
    *, org: Organisation, actor: User, evidence: Evidence, expected_version: int | None = None
) -> Evidence:
    """Archived evidence back in the library, with its versions and links as they were."""
    require_role(org, actor, Role.MANAGER, _("Only managers and owners restore evidence."))
    return set_archived(
        org=org,
        actor=actor,
        obj=evidence,
        archived=False,
        expected_version=expected_version,
        refusal=_("%(title)s is in the library already.") % {"title": evidence.title},
    )


def register_subject(subject: Subject) -> None:
    """Let evidence be attached to records of another app (called from its `ready()`)."""
    SUBJECTS.register(subject)


def _subject_kind(subject: Any) -> Subject:
    kind = SUBJECTS.of(subject)
    if kind is None:
        raise TypeError(f"{type(subject).__name__} is not registered as an evidence subject")
    return kind


def link(
    *,
    org: Organisation,
    actor: User,
    evidence: Evidence,
    subject: Any = None,
    criterion_ident: str | None = None,
) -> EvidenceLink:
    """Attach evidence to a criterion and, if given, to the record it supports. Attaching the
    same twice (a double click, two people at once) gives the one link."""
    require_role(org, actor, Role.CONTRIBUTOR)
    if evidence.organisation_id != org.pk or (
        subject is not None and subject.organisation_id != org.pk
    ):
        raise DomainError(_("That evidence is not in this organisation's library."))
    kind = _subject_kind(subject) if subject is not None else None
    if kind is not None and kind.guard is not None:
        kind.guard(org=org, actor=actor, subject=subject)
    if criterion_ident is None:
        criterion_ident = kind.criterion(subject) if kind is not None else ""
    where: dict[str, Any] = {"subject_type": None, "subject_id": None}
    if subject is not None:
        where = {"subject_type": SUBJECTS.content_type(subject), "subject_id": subject.pk}
    with transaction.atomic():
        # Links to one document are made one at a time, so a double submit finds the first.
        stored = Evidence.objects.for_org(org).select_for_update().get(pk=evidence.pk)
        ensure_active(stored)
        existing = (
            EvidenceLink.objects.for_org(org)
            .filter(evidence=stored, criterion_ident=criterion_ident, **where)
            .first()
        )
        if existing is not None:
            return existing
        return create_record(
            org=org,
            actor=actor,
            obj=EvidenceLink(
                organisation=org, evidence=stored, criterion_ident=criterion_ident, **where
            ),
        )


@dataclass(frozen=True)
class Carried:
    links: int
    to_confirm: int
    archived: int  # links to archived documents, not carried


def carry_links(*, org: Organisation, old: QuerySet[Any], new_for: dict[int, Any]) -> Carried:
    """Link each new record (`new_for[old pk]`, such as this year's answer) to the documents
    of the old one it continues, as they are now: a document past its review date, or with a
    version newer than the old link, waits for a person to re-confirm it. Archived documents
    stay with the old record. The caller audits the carry-over as one entry."""
    today = timezone.localdate()
    links = (
        links_to(org, old)
        .filter(evidence__organisation=org)
        .annotate(newest=Max("evidence__versions__created_at"))
    )
    new_links: list[EvidenceLink] = []
    archived = 0
    for old_link in links:
        subject = new_for.get(old_link.subject_id or 0)
        if subject is None:
            continue
        if old_link.evidence.archived_at is not None:
            archived += 1
            continue
        review = old_link.evidence.review_date
        newest = old_link.newest
        reason = ToConfirm.NO
        if review is not None and review < today:
            reason = ToConfirm.EXPIRED
        elif newest is not None and newest > old_link.created_at:
            reason = ToConfirm.CHANGED
        new_links.append(
            EvidenceLink(
                organisation=org,
                evidence=old_link.evidence,
                criterion_ident=old_link.criterion_ident,
                subject_type=SUBJECTS.content_type(subject),
                subject_id=subject.pk,
                carried=True,
                to_confirm=reason,
            )
        )
    EvidenceLink.objects.bulk_create(new_links, ignore_conflicts=True)
    return Carried(len(new_links), sum(1 for x in new_links if x.to_confirm), archived)


def confirm_link(
    *, org: Organisation, actor: User, link: EvidenceLink, expected_version: int | None
) -> EvidenceLink:
    """A person has looked at a carried-over document and says it still shows the record."""
    require_role(org, actor, Role.CONTRIBUTOR)
    subject = link.subject
    kind = SUBJECTS.of(subject) if subject is not None else None
    if kind is not None and kind.guard is not None:
        kind.guard(org=org, actor=actor, subject=subject)
    if not link.to_confirm:
        raise DomainError(_("This evidence is confirmed already."))
    return update_record(
        org=org,
        actor=actor,
        obj=link,
        expected_version=expected_version,
        values={"to_confirm": ToConfirm.NO},
    )


def unlink(*, org: Organisation, actor: User, link: EvidenceLink) -> None:
    """Detach evidence; the record it supported must allow it (its app's rule)."""
    require_role(org, actor, Role.CONTRIBUTOR)
    subject = link.subject
    kind = SUBJECTS.of(subject) if subject is not None else None
    if kind is not None and kind.guard is not None:
        kind.guard(org=org, actor=actor, subject=subject)
    delete_record(org=org, actor=actor, obj=link)
