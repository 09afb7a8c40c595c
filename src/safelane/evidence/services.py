"""Adding evidence and its versions, linking it to criteria and responses, archiving it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, update_record
from safelane.evidence import uploads
from safelane.evidence.models import Evidence, EvidenceLink, EvidenceVersion

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def add_version(
    *, org: Organisation, actor: User, evidence: Evidence, upload: UploadedFile
) -> EvidenceVersion:
    """Check the file, store it, record it. A refused or failed upload leaves nothing behind."""
    checked = uploads.check(upload)
    path = default_storage.save(
        uploads.storage_key(org.pk, checked.safe_name), ContentFile(checked.content)
    )
    try:
        with transaction.atomic():
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


def create_evidence(
    *,
    org: Organisation,
    actor: User,
    values: dict[str, Any],
    upload: UploadedFile,
    criteria: list[str] | None = None,
    response: Any = None,
    action: Any = None,
) -> Evidence:
    uploads.check(upload)  # refuse a bad file before anything is written
    upload.seek(0)
    with transaction.atomic():
        evidence = create_record(org=org, actor=actor, obj=Evidence(organisation=org, **values))
        add_version(org=org, actor=actor, evidence=evidence, upload=upload)
        for ident in criteria or []:
            link(org=org, actor=actor, evidence=evidence, criterion_ident=ident)
        if response is not None:
            link(
                org=org,
                actor=actor,
                evidence=evidence,
                criterion_ident=response.criterion_ident,
                response=response,
            )
        if action is not None:
            link(org=org, actor=actor, evidence=evidence, action=action)
    return evidence


def update_evidence(
    *,
    org: Organisation,
    actor: User,
    evidence: Evidence,
    expected_version: int | None,
    values: dict[str, Any],
) -> Evidence:
    return update_record(
        org=org, actor=actor, obj=evidence, expected_version=expected_version, values=values
    )


def archive(*, org: Organisation, actor: User, evidence: Evidence) -> Evidence:
    """Archived evidence leaves the library; its files and links stay for the record."""
    return update_record(
        org=org,
        actor=actor,
        obj=evidence,
        expected_version=None,
        values={"archived_at": timezone.now()},
    )


def link(
    *,
    org: Organisation,
    actor: User,
    evidence: Evidence,
    criterion_ident: str = "",
    response: Any = None,
    action: Any = None,
) -> EvidenceLink:
    owners = [o for o in (evidence, response, action) if o is not None]
    if any(o.organisation_id != org.pk for o in owners):
        raise DomainError(_("That evidence is not in this organisation's library."))
    existing = (
        EvidenceLink.objects.for_org(org)
        .filter(
            evidence=evidence, criterion_ident=criterion_ident, response=response, action=action
        )
        .first()
    )
    if existing is not None:
        return existing
    return create_record(
        org=org,
        actor=actor,
        obj=EvidenceLink(
            organisation=org,
            evidence=evidence,
            criterion_ident=criterion_ident,
            response=response,
            action=action,
        ),
    )


def unlink(*, org: Organisation, actor: User, link: EvidenceLink) -> None:
    delete_record(org=org, actor=actor, obj=link)
