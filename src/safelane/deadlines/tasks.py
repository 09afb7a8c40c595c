"""Background work of the calendar: the daily reminder e-mail of one organisation."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from safelane.deadlines import reminders
from safelane.orgs.models import Organisation


@task()
def send_reminders(org_id: int) -> None:
    org = Organisation.objects.get(pk=org_id)
    reminders.send_reminders(org, timezone.localdate())
