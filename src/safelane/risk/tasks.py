"""Background work of risk assessments: the documented report, and e-mails when the next
assessment is due or a documented map changed."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from safelane.core import mail
from safelane.core.audit import audit_source
from safelane.core.links import absolute
from safelane.core.models import AuditSource
from safelane.jobs import services as jobs
from safelane.orgs.models import Organisation
from safelane.risk import report, selectors
from safelane.risk.models import RiskAssessment


def _send(org: Organisation, assessment: RiskAssessment, template: str) -> None:
    recipients = selectors.people_to_remind(org)
    if not recipients:
        return
    link = absolute(reverse("risk:detail", args=[org.slug, assessment.pk]))
    context = {
        "org": org,
        "assessment": assessment,
        "link": link,
        "overdue": selectors.due_state(assessment.next_due, timezone.localdate()) == "overdue",
    }
    mail.send_templated(
        subject_template=f"risk/email/{template}_subject.txt",
        body_template=f"risk/email/{template}.txt",
        context=context,
        language=org.default_language,
        recipients=recipients,
    )


@task()
def send_due_reminder(org_id: int) -> None:
    """Remind the owners and managers that the next risk assessment is due (or overdue)."""
    org = Organisation.objects.get(pk=org_id)
    assessment = selectors.assessment_to_remind(org, timezone.localdate())
    if assessment is not None:
        _send(org, assessment, "due")


@task()
def send_review_notice(org_id: int, assessment_id: int) -> None:
    """Tell the owners and managers that a documented assessment's map has changed."""
    org = Organisation.objects.get(pk=org_id)
    assessment = selectors.assessments(org).filter(pk=assessment_id).first()
    if assessment is not None and assessment.needs_review:
        _send(org, assessment, "review")


def enqueue_report(
    *, org_id: int, job_id: int, assessment_id: int, fmt: str, language: str
) -> None:
    transaction.on_commit(
        lambda: build_report.enqueue(org_id, job_id, assessment_id, fmt, language)
    )


@task()
def build_report(org_id: int, job_id: int, assessment_id: int, fmt: str, language: str) -> None:
    """The documented assessment as PDF or Word, in the language of the person who asked."""
    org = Organisation.objects.get(pk=org_id)
    job = jobs.job_for_task(org, job_id)
    try:
        with audit_source(AuditSource.TASK), translation.override(language):
            assessment = selectors.assessments(org).get(pk=assessment_id)
            jobs.progress(job, done=0, total=1)
            _type, body = report.document(org, assessment, fmt)
            jobs.finish(job, name=report.file_name(org, assessment, fmt), content=body)
    except Exception as exc:
        jobs.fail(job, str(exc))
        raise
