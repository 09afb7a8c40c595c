from typing import Any

from django.core.management.base import BaseCommand

from safelane.deadlines.tasks import send_reminders
from safelane.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Queue today's deadline reminders: every organisation's owners and managers get one "
        "e-mail of what falls due in 30 days, in 7 days and today (membership clocks, actions, "
        "evidence reviews). Run it daily; a deadline is recalled at each distance only once, "
        "however often the command runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        for org_id in Organisation.objects.values_list("pk", flat=True):
            send_reminders.enqueue(org_id)
            queued += 1
        self.stdout.write(f"Queued deadline reminders for {queued} organisations.")
