from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from safelane.membership import selectors
from safelane.membership.tasks import window_notice
from safelane.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Queue, for every organisation whose annual security profile review window is open and "
        "whose owners and managers have not been told of it yet, one e-mail to them. Run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        today = timezone.localdate()
        for org in Organisation.objects.order_by("pk").iterator():
            if selectors.notice_due(org, today):
                window_notice.enqueue(org.pk)
                queued += 1
        self.stdout.write(f"Queued annual review notices for {queued} organisations.")
