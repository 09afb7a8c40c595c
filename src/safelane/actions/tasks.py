"""E-mails about actions: to a new owner, and each person's daily digest."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from safelane.actions.models import Action
from safelane.core import mail
from safelane.core.links import absolute
from safelane.orgs.models import Organisation
from safelane.orgs.selectors import member_users


@task()
def notify_owner(org_id: int, action_id: int) -> None:
    org = Organisation.objects.get(pk=org_id)
    action = Action.objects.for_org(org).select_related("owner").filter(pk=action_id).first()
    if action is None or action.owner is None or not action.is_open:
        return
    link = absolute(reverse("actions:detail", args=[org.slug, action.pk]))
    mail.send_templated(
        subject_template="actions/email/assigned_subject.txt",
        body_template="actions/email/assigned.txt",
        context={"action": action, "org": org, "link": link},
        language=org.default_language,
        recipients=[action.owner.email],
    )


@task()
def send_digest(org_id: int, user_id: int) -> None:
    """One e-mail a day to one person: their overdue actions and those due within two weeks."""
    org = Organisation.objects.get(pk=org_id)
    user = member_users(org).filter(pk=user_id).first()
    if user is None:
        return
    mine = Action.objects.for_org(org).active().filter(owner=user)
    overdue, soon = list(mine.overdue()), list(mine.due_soon())
    if not overdue and not soon:
        return
    link = absolute(reverse("actions:list", args=[org.slug])) + "?mine=1"
    context = {"org": org, "user": user, "overdue": overdue, "soon": soon, "link": link}
    mail.send_templated(
        subject_template="actions/email/digest_subject.txt",
        body_template="actions/email/digest.txt",
        context=context,
        language=org.default_language,
        recipients=[user.email],
    )
