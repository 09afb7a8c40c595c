from typing import Any

from django.core.management.base import BaseCommand

from safelane.actions.models import Action
from safelane.actions.tasks import send_digest


class Command(BaseCommand):
    help = "Queue today's action digest for everyone with overdue or soon-due actions (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = set()
        for org_id, owner_id in (
            Action.objects.filter(archived_at__isnull=True, owner__isnull=False)
            .open()
            .values_list("organisation_id", "owner_id")
            .distinct()
        ):
            pairs.add((org_id, owner_id))
        for org_id, owner_id in sorted(pairs):
            send_digest.enqueue(org_id, owner_id)
        self.stdout.write(f"Queued {len(pairs)} digests.")
