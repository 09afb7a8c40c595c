"""The long documents of an assessment, built in the background with a job to watch."""

import io
import zipfile

from django.urls import reverse
from pypdf import PdfReader

from safelane.core.models import AuditEntry
from safelane.jobs.models import Job
from tests.assessments.test_exports import report_with_evidence
from tests.factories import next_cycle


def test_the_evidence_package_is_built_in_the_background(cast, as_user, committed):
    cycle = report_with_evidence(cast)
    with committed():
        response = as_user(cast.contributor).post(
            reverse("assessments:package", args=[cast.acme.slug, cycle.pk])
        )
    job = Job.objects.for_org(cast.acme).get()
    assert response["Location"] == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    assert job.status == "done"
    assert job.percent == 100
    download = as_user(cast.viewer).get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    index = archive.read("index.csv").decode("utf-8-sig")
    assert "6.2,Seal log 2026,1," in index
    names = archive.namelist()
    assert any(n.endswith("seal-log.txt") for n in names)
    progress = as_user(cast.viewer).get(
        reverse("jobs:detail", args=[cast.acme.slug, job.pk]), HTTP_HX_REQUEST="true"
    )
    assert "100%" in progress.content.decode()
    assert (
        as_user(cast.outsider)
        .get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
        .status_code
        == 404
    )


def test_the_security_profile_is_built_in_the_background(cast, as_user, committed):
    cycle = report_with_evidence(cast)
    with committed():
        response = as_user(cast.viewer).post(
            reverse("assessments:export_pdf", args=[cast.acme.slug, cycle.pk])
        )
    job = Job.objects.for_org(cast.acme).get()
    assert response["Location"] == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    assert job.status == "done"
    # A viewer's job is in the audit trail like every other row.
    assert AuditEntry.objects.for_org(cast.acme).for_object(job).get().actor == cast.viewer
    download = as_user(cast.viewer).get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Seal log 2026" in text
    # The small exports stay immediate; only the long documents are jobs.
    assert (
        as_user(cast.viewer)
        .post(reverse("assessments:export_xlsx", args=[cast.acme.slug, cycle.pk]))
        .status_code
        == 405
    )


def test_the_evidence_package_of_next_years_cycle_holds_the_carried_files(cast, as_user, committed):

    first = report_with_evidence(cast)
    second = next_cycle(cast, first)
    with committed():
        as_user(cast.contributor).post(
            reverse("assessments:package", args=[cast.acme.slug, second.pk])
        )
    job = Job.objects.for_org(cast.acme).get()
    download = as_user(cast.viewer).get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "6.2,Seal log 2026,1," in archive.read("index.csv").decode("utf-8-sig")
    assert any(n.endswith("seal-log.txt") for n in archive.namelist())
