from typing import Any

from django.core.management.base import BaseCommand

from safelane.actions.models import Action
from safelane.actions.tasks import send_digest
from safelane.orgs.models import Organisation


class Command(BaseCommand):
    help = "Queue today's action digest for everyone with overdue or soon-due actions (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        for org in Organisation.objects.order_by("pk").iterator():
            owners = (
                Action.objects.for_org(org)
                .active()
                .open()
                .filter(owner__isnull=False)
                .values_list("owner_id", flat=True)
                .distinct()
                .order_by("owner_id")
            )
            for owner_id in owners:
                send_digest.enqueue(org.pk, owner_id)
                queued += 1
        self.stdout.write(f"Queued {queued} digests.")
