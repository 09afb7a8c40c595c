"""`safelane send_training_digests`: queue the weekly training digest of every organisation
(run it once a week, say on Monday morning)."""

from typing import Any

from django.core.management.base import BaseCommand

from safelane.orgs.models import Organisation
from safelane.training.models import Course
from safelane.training.tasks import send_digest


class Command(BaseCommand):
    help = "Queue the weekly training digest (overdue and due-soon courses) to owners and managers."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        for org in Organisation.objects.order_by("pk").iterator():
            if Course.objects.for_org(org).live().exists():
                send_digest.enqueue(org.pk)
                queued += 1
        self.stdout.write(f"Queued {queued} digests.")
