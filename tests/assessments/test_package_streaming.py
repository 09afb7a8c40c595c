"""The evidence package is written to a temporary file and copied to storage in chunks: no
evidence file is read whole, and the job's result is handed over as a file, never as one
string of the whole archive (so memory stays flat however large the package; the bench
measures the peak with tracemalloc)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelane.assessments import tasks
from safelane.assessments.models import Status
from safelane.evidence import services as evidence_services
from safelane.jobs import services as jobs
from safelane.jobs.models import Job
from tests.factories import answer, importer_cycle

LOG = b"seal 1234 verified at the Joliet dock\n" * 80_000  # 3 MB, three chunks


def test_the_package_copies_files_in_chunks_and_hands_storage_a_file(
    cast, as_user, committed, monkeypatch
):
    cycle = importer_cycle(cast)
    response = answer(cast, cycle, "6.2", Status.MET)
    evidence_services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": "Seal log 2026"},
        upload=SimpleUploadedFile("seal-log.txt", LOG),
        subject=response,
    )
    reads: list[int] = []
    opened = tasks.default_storage.open

    class Watched(io.RawIOBase):
        """A stored file that notes the size of every read asked of it."""

        def __init__(self, stored):
            self.stored = stored

        def read(self, size=-1):
            reads.append(size)
            return self.stored.read(size)

        def close(self):
            self.stored.close()
            super().close()

    def watched(name, mode="rb"):
        return Watched(opened(name, mode))

    handed: list[type] = []
    finish = jobs.finish

    def kept(job, *, name, content):
        handed.append(type(content))
        finish(job, name=name, content=content)

    monkeypatch.setattr(tasks.default_storage, "open", watched)
    monkeypatch.setattr(jobs, "finish", kept)
    with committed():
        as_user(cast.contributor).post(
            reverse("assessments:package", args=[cast.acme.slug, cycle.pk])
        )
    monkeypatch.undo()
    job = Job.objects.for_org(cast.acme).get()
    assert job.status == "done", job.error
    assert reads
    assert all(0 < size <= tasks.CHUNK for size in reads), reads  # never the whole file
    assert handed
    assert bytes not in handed
    download = as_user(cast.viewer).get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    [name] = [n for n in archive.namelist() if n.endswith("seal-log.txt")]
    assert archive.read(name) == LOG
