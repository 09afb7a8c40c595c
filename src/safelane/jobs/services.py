"""Creating jobs and reporting their progress from inside a task."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from safelane.core.records import create_record
from safelane.jobs.models import Job, JobStatus
from safelane.orgs.access import require_role
from safelane.orgs.models import Role

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


# Where a finished job leads back to, by kind (an import to the register it filled): apps that
# start jobs register a function of the organisation giving (link text, URL).
_destinations: dict[str, Callable[[Organisation], tuple[str, str]]] = {}


def register_destination(kind: str, destination: Callable[[Organisation], tuple[str, str]]) -> None:
    _destinations[kind] = destination


def destination(job: Job) -> tuple[str, str] | None:
    found = _destinations.get(job.kind)
    return found(job.organisation) if found else None


def create_job(*, org: Organisation, actor: User, kind: str, title: str) -> Job:
    """A job asked for by a member, in the audit trail like every other row."""
    require_role(org, actor, Role.VIEWER)
    return create_record(
        org=org,
        actor=actor,
        obj=Job(organisation=org, created_by=actor, kind=kind, title=title[:200]),
    )


def create_system_job(*, org: Organisation, kind: str, title: str) -> Job:
    """A job Safelane starts itself (a new list snapshot screens every partner again): nobody
    asked, so nobody's role is checked; the audit trail says it came from a task."""
    return create_record(
        org=org, actor=None, obj=Job(organisation=org, kind=kind, title=title[:200])
    )


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


def job_for_task(org: Organisation, job_id: int) -> Job:
    """The job a task works on, read through its organisation like every other record."""
    return Job.objects.for_org(org).select_related("organisation").get(pk=job_id)


# Progress and outcome are plain updates, not audited changes: they must show while the task's
# own work is still in flight, and the job's creation is the audited fact.


def progress(job: Job, *, done: int, total: int) -> None:
    Job.objects.for_org(job.organisation).filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done_steps=done, total_steps=total
    )
    job.done_steps, job.total_steps, job.status = done, total, JobStatus.RUNNING


def finish(job: Job, *, name: str, content: bytes | IO[bytes]) -> None:
    """The job's result, as bytes or as a file that storage copies in chunks (a large one)."""
    body = ContentFile(content) if isinstance(content, bytes) else File(content, name=name)
    path = default_storage.save(f"jobs/{job.organisation_id}/{job.pk}/{name}", body)
    Job.objects.for_org(job.organisation).filter(pk=job.pk).update(
        status=JobStatus.DONE,
        result_name=name,
        result_path=path,
        done_steps=job.total_steps,
        finished_at=timezone.now(),
    )


def done(job: Job) -> None:
    """A job whose result the app that started it keeps (and offers) itself."""
    Job.objects.for_org(job.organisation).filter(pk=job.pk).update(
        status=JobStatus.DONE, done_steps=job.total_steps, finished_at=timezone.now()
    )


def fail(job: Job, message: str) -> None:
    Job.objects.for_org(job.organisation).filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )
