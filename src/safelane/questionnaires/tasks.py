"""Background work of questionnaires: the e-mails to partner contacts (in their language) and to
the sender, and each organisation's daily reminders and re-sends."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from safelane.core import mail
from safelane.core.audit import audit_source
from safelane.core.links import absolute
from safelane.core.models import AuditSource
from safelane.orgs.models import Organisation, Role
from safelane.orgs.selectors import members
from safelane.questionnaires import links, services
from safelane.questionnaires.models import Questionnaire

LINK_KINDS = frozenset({"sent", "resent", "reissued", "reminder", "corrections"})


@task()
def send_link(org_id: int, questionnaire_id: int, kind: str) -> None:
    """The link to a contact: first sent, sent again for a review, re-issued, a reminder
    before it expires, or reopened with the reviewer's notes."""
    org = Organisation.objects.get(pk=org_id)
    questionnaire = (
        Questionnaire.objects.for_org(org)
        .select_related("sent_by", "partner")
        .filter(pk=questionnaire_id)
        .first()
    )
    if kind not in LINK_KINDS or questionnaire is None:
        return
    if questionnaire.link_state != "live":
        return  # revoked or answered since: the e-mail would only confuse
    token = links.current_token(org.pk, questionnaire.link_nonce, questionnaire.token_hash)
    mail.send_templated(
        subject_template="questionnaires/email/link_subject.txt",
        body_template="questionnaires/email/link.txt",
        context={
            "kind": kind,
            "org": org,
            "questionnaire": questionnaire,
            "link": links.address(token) if token else "",
            "expires": timezone.localtime(questionnaire.expires_at),
        },
        language=questionnaire.language,
        recipients=[questionnaire.recipient_email],
    )


@task()
def notify_submitted(org_id: int, questionnaire_id: int) -> None:
    """Tell the sender (or, if they left, the managers and owners) that answers came in."""
    org = Organisation.objects.get(pk=org_id)
    questionnaire = (
        Questionnaire.objects.for_org(org)
        .select_related("partner")
        .filter(pk=questionnaire_id)
        .first()
    )
    if questionnaire is None:
        return
    people = members(org)
    sender = people.filter(user_id=questionnaire.sent_by_id).first()
    recipients = (
        [sender.user.email]
        if sender is not None
        else [m.user.email for m in people if m.role_enum.allows(Role.MANAGER)]
    )
    if not recipients:
        return
    link = absolute(reverse("questionnaires:detail", args=[org.slug, questionnaire.pk]))
    mail.send_templated(
        subject_template="questionnaires/email/submitted_subject.txt",
        body_template="questionnaires/email/submitted.txt",
        context={"org": org, "questionnaire": questionnaire, "link": link},
        language=org.default_language,
        recipients=recipients,
    )


@task()
def daily(org_id: int) -> None:
    """One organisation's share of `safelane send_questionnaire_reminders`."""
    org = Organisation.objects.get(pk=org_id)
    with audit_source(AuditSource.TASK):
        services.send_reminders(org=org)
        services.resend_due(org=org)
