"""Background work of the organisations domain."""

from django.urls import reverse
from django_tasks import task

from safelane.core import mail
from safelane.core.audit import audit_source
from safelane.core.links import absolute
from safelane.core.models import AuditSource
from safelane.orgs.models import Invitation, Organisation


@task()
def send_invitation(org_id: int, invitation_id: int) -> None:
    from safelane.orgs.services import invitation_token

    org = Organisation.objects.get(pk=org_id)
    invitation = (
        Invitation.objects.for_org(org)
        .select_related("invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return
    link = absolute(reverse("orgs:invitation_accept", args=[invitation_token(invitation)]))
    with audit_source(AuditSource.TASK):
        mail.send_templated(
            subject_template="orgs/email/invitation_subject.txt",
            body_template="orgs/email/invitation_body.txt",
            context={"invitation": invitation, "org": org, "link": link},
            language=org.default_language,
            recipients=[invitation.email],
        )
