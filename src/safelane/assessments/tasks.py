"""Background work of assessments: the security profile documents and the evidence package."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from safelane.assessments import exports, selectors
from safelane.assessments.models import AssessmentCycle
from safelane.core.audit import audit_source
from safelane.core.cells import csv_row
from safelane.core.models import AuditSource
from safelane.jobs import services as jobs
from safelane.orgs.models import Organisation


def enqueue_package(*, org_id: int, job_id: int, cycle_id: int) -> None:
    transaction.on_commit(lambda: build_evidence_package.enqueue(org_id, job_id, cycle_id))


CHUNK = 1024 * 1024  # the evidence package copies files a megabyte at a time


@task()
def build_evidence_package(org_id: int, job_id: int, cycle_id: int) -> None:
    """A ZIP of every evidence file linked in the cycle, with an index of criterion, document,
    version and SHA-256. Progress is written as it goes so the page can show it. The archive is
    written to a temporary file, each evidence file copied into it in chunks, and the finished
    file handed to storage the same way: memory stays flat however large the package."""
    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    try:
        with audit_source(AuditSource.TASK), tempfile.TemporaryFile() as out:
            cycle = AssessmentCycle.objects.for_org(org).get(pk=cycle_id)
            _write_package(org, cycle, job, out)
            out.seek(0)
            jobs.finish(job, name=f"evidence-package-{cycle.pk}.zip", content=out)
    except Exception as exc:
        jobs.fail(job, str(exc))
        raise


def _write_package(org: Organisation, cycle: AssessmentCycle, job: Any, out: IO[bytes]) -> None:
    links = list(selectors.evidence_links(org, cycle))
    total = len(links)
    jobs.progress(job, done=0, total=total)
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(
        csv_row([_("Criterion"), _("Document"), _("Version"), _("File in package"), "SHA-256"])
    )
    added: set[int] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for step, link in enumerate(links, start=1):
            versions = list(link.evidence.versions.all())
            if versions:
                version = versions[0]
                name = f"files/{version.evidence_id}-v{version.number}-{version.original_name}"
                if version.pk not in added:
                    with (
                        default_storage.open(version.file.name, "rb") as stored,
                        archive.open(name, "w", force_zip64=True) as entry,
                    ):
                        shutil.copyfileobj(stored, entry, CHUNK)
                    added.add(version.pk)
                writer.writerow(
                    csv_row(
                        [
                            link.criterion_ident.removeprefix("own:"),
                            link.evidence.title,
                            version.number,
                            name,
                            version.sha256,
                        ]
                    )
                )
            jobs.progress(job, done=step, total=total)
        archive.writestr("index.csv", "\ufeff" + index.getvalue())


DOCUMENTS = {"pdf": exports.as_pdf, "docx": exports.as_docx}


def enqueue_document(
    *,
    org_id: int,
    job_id: int,
    cycle_id: int,
    fmt: str,
    language: str,
    options: exports.Options | None = None,
) -> None:
    chosen = options or exports.Options()
    left_out = [chosen.skip_not_started, chosen.musts_only]
    transaction.on_commit(
        lambda: build_profile_document.enqueue(org_id, job_id, cycle_id, fmt, language, left_out)
    )


@task()
def build_profile_document(
    org_id: int,
    job_id: int,
    cycle_id: int,
    fmt: str,
    language: str,
    left_out: list[bool] | None = None,
) -> None:
    """The security profile as PDF or Word, in the language of the person who asked."""
    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    try:
        with audit_source(AuditSource.TASK), translation.override(language):
            cycle = AssessmentCycle.objects.for_org(org).get(pk=cycle_id)
            jobs.progress(job, done=0, total=2)
            skip, musts = left_out or [False, False]
            options = exports.Options(skip_not_started=skip, musts_only=musts)
            report = exports.build_report(org, cycle, options)
            jobs.progress(job, done=1, total=2)
            jobs.finish(
                job,
                name=f"{org.slug}-cycle{cycle.pk}-security-profile.{fmt}",
                content=DOCUMENTS[fmt](report),
            )
    except Exception as exc:
        jobs.fail(job, str(exc))
        raise
