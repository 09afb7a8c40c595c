"""Creating jobs and reporting their progress from inside a task."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from safelane.jobs.models import Job, JobStatus

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


def create_job(*, org: Organisation, actor: User, kind: str, title: str) -> Job:
    return Job.objects.create(organisation=org, created_by=actor, kind=kind, title=title[:200])


def start_document(
    *,
    org: Organisation,
    actor: User,
    kind: str,
    title: str,
    enqueue: Callable[[int, str], None],
) -> Job:
    """A job for a document built in the background. `enqueue(job_id, language)` queues the
    task; the document is written in the language of the person who asked."""
    job = create_job(org=org, actor=actor, kind=kind, title=title)
    enqueue(job.pk, translation.get_language() or org.default_language)
    return job


def job_for_task(org_id: int, job_id: int) -> Job:
    """The job a task works on, read through its organisation like every other record."""
    return Job.objects.filter(organisation_id=org_id).get(pk=job_id)


def progress(job: Job, *, done: int, total: int) -> None:
    # A plain update: progress must show while the task's own work is still in flight.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done_steps=done, total_steps=total
    )
    job.done_steps, job.total_steps, job.status = done, total, JobStatus.RUNNING


def finish(job: Job, *, name: str, content: bytes) -> None:
    path = default_storage.save(f"jobs/{job.organisation_id}/{job.pk}/{name}", ContentFile(content))
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        result_name=name,
        result_path=path,
        done_steps=job.total_steps,
        finished_at=timezone.now(),
    )


def fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )
