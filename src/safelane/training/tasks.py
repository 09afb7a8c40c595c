"""Background work of training: a large people import with its progress."""

from __future__ import annotations

import csv
import io

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
from safelane.training import imports, services


def enqueue_import(
    *,
    org_id: int,
    job_id: int,
    actor_id: int,
    path: str,
    file_name: str,
    mapping: dict[str, str],
    skip_bad_rows: bool,
    deactivate_missing: bool,
    language: str,
) -> None:
    transaction.on_commit(
        lambda: import_people.enqueue(
            org_id,
            job_id,
            actor_id,
            path,
            file_name,
            mapping,
            skip_bad_rows,
            deactivate_missing,
            language,
        )
    )


@task()
def import_people(
    org_id: int,
    job_id: int,
    actor_id: int,
    path: str,
    file_name: str,
    mapping: dict[str, str],
    skip_bad_rows: bool,
    deactivate_missing: bool,
    language: str,
) -> None:
    """Check every row, write the good ones in bulk; the job's file is a report of what came in
    and what was left out, row by row."""
    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    actor = User.objects.filter(pk=actor_id).first()
    try:
        with audit_source(AuditSource.TASK), translation.override(language):
            with default_storage.open(path, "rb") as stored:
                content = stored.read()
            rows = imports.check_rows(imports.read_table(content, file_name)[1], mapping)
            outcome = services.import_people(
                org=org,
                actor=actor,
                rows=rows,
                file_name=file_name,
                content=content,
                skip_bad_rows=skip_bad_rows,
                deactivate_missing=deactivate_missing,
                progress=lambda done, total: jobs.progress(job, done=done, total=total),
            )
            jobs.finish(job, name="people-import-report.csv", content=_report(rows, outcome))
        default_storage.delete(path)
    except Exception as exc:
        jobs.fail(job, str(getattr(exc, "message", exc)))
        raise


def _report(rows: list[imports.Row], outcome: imports.Outcome) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row([_("Row"), _("Imported"), _("Problems")]))
    for row in rows:
        writer.writerow(
            csv_row([row.number, _("no") if row.problems else _("yes"), "; ".join(row.problems)])
        )
    writer.writerow(csv_row(["", _("People added"), outcome.added]))
    writer.writerow(csv_row(["", _("People updated"), outcome.updated]))
    writer.writerow(csv_row(["", _("People made inactive"), outcome.deactivated]))
    return ("\ufeff" + out.getvalue()).encode()


@task()
def send_digest(org_id: int) -> None:
    """The weekly training digest to the owners and managers: who is overdue or due soon, by
    course. Nothing is sent when nobody is."""
    from django.urls import reverse

    from safelane.core import mail
    from safelane.core.links import absolute
    from safelane.training import selectors

    org = Organisation.objects.get(pk=org_id)
    recipients = selectors.managers(org)
    found = selectors.digest(org)
    if not recipients or not found.courses:
        return
    mail.send_templated(
        subject_template="training/email/digest_subject.txt",
        body_template="training/email/digest.txt",
        context={
            "org": org,
            "digest": found,
            "link": absolute(reverse("training:matrix", args=[org.slug]) + "?state=late"),
        },
        language=org.default_language,
        recipients=recipients,
    )
