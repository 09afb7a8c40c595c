"""Background work of the partner register: a large import with its progress, and screening
every partner again when a new list snapshot loads."""

from __future__ import annotations

import csv
import io
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from safelane.accounts.models import User
from safelane.core.audit import audit_source
from safelane.core.cells import csv_row
from safelane.core.models import AuditSource
from safelane.jobs import services as jobs
from safelane.orgs.models import Organisation
from safelane.partners import imports, screening
from safelane.partners.models import Partner


def enqueue_import(
    *,
    org_id: int,
    job_id: int,
    actor_id: int,
    path: str,
    file_name: str,
    mapping: dict[str, str],
    skip_bad_rows: bool,
    language: str,
) -> None:
    transaction.on_commit(
        lambda: import_partners.enqueue(
            org_id, job_id, actor_id, path, file_name, mapping, skip_bad_rows, language
        )
    )


@task()
def import_partners(
    org_id: int,
    job_id: int,
    actor_id: int,
    path: str,
    file_name: str,
    mapping: dict[str, str],
    skip_bad_rows: bool,
    language: str,
) -> None:
    """Check every row, write the good ones in bulk, screen them; the job's file is a report
    of what came in and what was left out, row by row."""
    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    actor = User.objects.filter(pk=actor_id).first()
    try:
        with audit_source(AuditSource.TASK), translation.override(language):
            with default_storage.open(path, "rb") as stored:
                content = stored.read()
            rows = imports.check_rows(imports.read_table(content, file_name)[1], mapping)
            good = sum(1 for row in rows if not row.problems)
            total = good * 2  # writing, then screening
            outcome = imports.write(
                org=org,
                actor=actor,
                rows=rows,
                file_name=file_name,
                content=content,
                skip_bad_rows=skip_bad_rows,
                progress=lambda done, _all: jobs.progress(job, done=done, total=total),
            )
            opened = screening.screen_all(
                org=org,
                actor=actor,
                partners=outcome.partners,
                progress=lambda done: jobs.progress(job, done=good + done, total=total),
            )
            jobs.finish(job, name="partner-import-report.csv", content=_report(rows, opened))
        default_storage.delete(path)
    except Exception as exc:
        jobs.fail(job, str(getattr(exc, "message", exc)))
        raise


def _report(rows: list[imports.Row], opened: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row([_("Row"), _("Imported"), _("Problems")]))
    for row in rows:
        writer.writerow(
            csv_row([row.number, _("no") if row.problems else _("yes"), "; ".join(row.problems)])
        )
    writer.writerow(csv_row(["", _("Screening hits to review"), opened]))
    return ("\ufeff" + out.getvalue()).encode()


def rescreen_after_load(snapshot: object) -> None:
    """A list snapshot became active (screening.services.on_new_snapshot)."""
    enqueue_rescreens()


def enqueue_rescreens() -> list[int]:
    """After a new list snapshot: a job per organisation that has partners, each screening all
    of them again (the organisation sees its progress on the job's page); the jobs' ids."""
    started = []
    for org in Organisation.objects.order_by("pk"):
        if not Partner.objects.for_org(org).active().exists():
            continue
        with translation.override(org.default_language):
            job = jobs.create_system_job(
                org=org, kind="rescreen", title=_("Screening every partner against the new lists")
            )
        started.append(job.pk)
        transaction.on_commit(partial(rescreen_all.enqueue, org.pk, job.pk))
    return started


@task()
def rescreen_all(org_id: int, job_id: int) -> None:
    """Every live partner of one organisation, against the lists as they are now; the job's
    file lists the hits it opened."""
    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    partners = Partner.objects.for_org(org).active()
    total = partners.count()
    try:
        with audit_source(AuditSource.TASK), translation.override(org.default_language):
            opened = screening.screen_all(
                org=org,
                actor=None,
                partners=partners.iterator(),
                progress=lambda done: jobs.progress(job, done=done, total=total),
            )
            jobs.finish(job, name="rescreen.csv", content=_rescreen_report(org, total, opened))
    except Exception as exc:
        jobs.fail(job, str(exc))
        raise


def _rescreen_report(org: Organisation, total: int, opened: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row([_("Partners screened"), _("New hits to review")]))
    writer.writerow(csv_row([total, opened]))
    return ("\ufeff" + out.getvalue()).encode()


@task()
def reassess_all(org_id: int) -> None:
    """Every partner's risk tier again, after the country threat table changed."""
    from safelane.partners import services

    org = Organisation.objects.get(pk=org_id)
    with audit_source(AuditSource.TASK):
        services.reassess_all(org=org)
