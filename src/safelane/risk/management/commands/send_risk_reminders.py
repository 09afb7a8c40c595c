from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from safelane.orgs.models import Organisation
from safelane.risk import selectors
from safelane.risk.tasks import send_due_reminder


class Command(BaseCommand):
    help = (
        "Queue reminders to owners and managers whose next risk assessment is due in 30 or "
        "7 days, today, or is overdue (weekly). Run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        queued = 0
        for org in Organisation.objects.order_by("pk").iterator():
            if selectors.assessment_to_remind(org, today) is not None:
                send_due_reminder.enqueue(org.pk)
                queued += 1
        self.stdout.write(f"Queued {queued} risk assessment reminders.")
