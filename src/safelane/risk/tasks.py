"""E-mails about risk assessments: the next one is due, or the map changed after documenting."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from safelane.orgs.models import Organisation
from safelane.risk import selectors
from safelane.risk.models import RiskAssessment


def _send(org: Organisation, assessment: RiskAssessment, template: str) -> None:
    recipients = selectors.people_to_remind(org)
    if not recipients:
        return
    link = settings.SITE_URL + reverse("risk:detail", args=[org.slug, assessment.pk])
    context = {
        "org": org,
        "assessment": assessment,
        "link": link,
        "overdue": assessment.next_due is not None and assessment.next_due < timezone.localdate(),
    }
    with translation.override(org.default_language):
        body = render_to_string(f"risk/email/{template}.txt", context)
        subject = render_to_string(f"risk/email/{template}_subject.txt", context).strip()
    send_mail(subject, body, None, recipients)


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
