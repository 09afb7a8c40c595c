"""E-mails about actions: to a new owner, and each person's daily digest."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from safelane.accounts.models import User
from safelane.actions.models import Action
from safelane.orgs.models import Organisation


@task()
def notify_owner(org_id: int, action_id: int) -> None:
    org = Organisation.objects.get(pk=org_id)
    action = Action.objects.for_org(org).select_related("owner").filter(pk=action_id).first()
    if action is None or action.owner is None or not action.is_open:
        return
    link = settings.SITE_URL + reverse("actions:detail", args=[org.slug, action.pk])
    with translation.override(org.default_language):
        body = render_to_string(
            "actions/email/assigned.txt", {"action": action, "org": org, "link": link}
        )
        subject = render_to_string(
            "actions/email/assigned_subject.txt", {"action": action, "org": org}
        ).strip()
    send_mail(subject, body, None, [action.owner.email])


@task()
def send_digest(org_id: int, user_id: int) -> None:
    """One e-mail a day to one person: their overdue actions and those due within two weeks."""
    org = Organisation.objects.get(pk=org_id)
    user = User.objects.filter(pk=user_id, memberships__organisation=org).first()
    if user is None:
        return
    mine = Action.objects.for_org(org).active().filter(owner=user)
    overdue, soon = list(mine.overdue()), list(mine.due_soon())
    if not overdue and not soon:
        return
    link = settings.SITE_URL + reverse("actions:list", args=[org.slug]) + "?mine=1"
    context = {"org": org, "user": user, "overdue": overdue, "soon": soon, "link": link}
    with translation.override(org.default_language):
        body = render_to_string("actions/email/digest.txt", context)
        subject = render_to_string("actions/email/digest_subject.txt", context).strip()
    send_mail(subject, body, None, [user.email])
