"""The e-mail that tells owners and managers the annual review window is open, once a window."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from safelane.core import mail
from safelane.core.audit import audit_source
from safelane.core.links import absolute
from safelane.core.models import AuditSource
from safelane.membership import selectors, services
from safelane.orgs.models import Organisation, Role
from safelane.orgs.selectors import members


@task()
def window_notice(org_id: int) -> None:
    """One organisation's share of `safelane send_annual_review_notices`."""
    org = Organisation.objects.get(pk=org_id)
    today = timezone.localdate()
    found = selectors.window_open(org, today)
    if found is None:
        return
    _record, due = found
    recipients = [m.user.email for m in members(org) if m.role_enum.allows(Role.MANAGER)]
    with audit_source(AuditSource.TASK):
        if not recipients or not services.note_window_notice(org=org, anniversary=due):
            return
    mail.send_templated(
        subject_template="membership/email/window_subject.txt",
        body_template="membership/email/window.txt",
        context={
            "org": org,
            "due": due,
            "days_left": (due - today).days,
            "link": absolute(reverse("membership:page", args=[org.slug])),
        },
        language=org.default_language,
        recipients=recipients,
    )
