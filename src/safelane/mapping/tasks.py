"""Background work of mapping: reading a document against the criteria, with its progress."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from safelane.core.audit import audit_source
from safelane.core.cells import csv_row
from safelane.core.errors import DomainError
from safelane.core.models import AuditSource
from safelane.jobs import services as jobs
from safelane.mapping import services
from safelane.mapping.models import MappedDocument, Proposal
from safelane.orgs.models import Organisation


def enqueue(document: MappedDocument) -> None:
    """Queue the reading (called once the document's row is committed)."""
    language = translation.get_language() or document.organisation.default_language
    read_document.enqueue(document.organisation_id, document.pk, language)


@task()
def read_document(org_id: int, document_id: int, language: str) -> None:
    org = Organisation.objects.get(pk=org_id)
    document = (
        MappedDocument.objects.for_org(org)
        .select_related("evidence", "evidence_version", "cycle__catalog_version", "job")
        .get(pk=document_id)
    )
    job = jobs.job_for_task(org, document.job_id) if document.job_id else None

    def progress(done: int, total: int) -> None:
        if job is not None:
            jobs.progress(job, done=done, total=total)

    try:
        with audit_source(AuditSource.TASK), translation.override(language):
            services.read(
                org=org,
                document=document,
                progress=progress,
            )
            if job is not None:
                jobs.finish(job, name="mapping-proposals.csv", content=_report(org, document))
    except DomainError as error:
        if job is not None:
            jobs.fail(job, str(error.message))
    except Exception as exc:
        with transaction.atomic():
            MappedDocument.objects.for_org(org).filter(pk=document.pk).update(
                state="failed", message=_("Reading stopped on an error; try again.")
            )
        if job is not None:
            jobs.fail(job, str(exc))
        raise


def _report(org: Organisation, document: MappedDocument) -> bytes:
    """Every proposal of the reading, best first within each passage, as a CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        csv_row(
            [
                _("Document"),
                _("Passage"),
                _("Page"),
                _("Section"),
                _("Criterion"),
                _("Rank"),
                _("Score"),
                _("Decision"),
                _("Text"),
            ]
        )
    )
    rows = (
        Proposal.objects.for_org(org)
        .filter(passage__document=document)
        .order_by("passage__position", "rank")
        .values_list(
            "passage__position",
            "passage__page",
            "passage__heading",
            "criterion_ident",
            "rank",
            "score",
            "decision",
            "passage__text",
        )
    )
    title = str(document.evidence)
    for row in rows.iterator():
        writer.writerow(csv_row([title, *row]))
    return ("\ufeff" + out.getvalue()).encode()
