from typing import Any

from django.core.management.base import BaseCommand

from safelane.orgs.models import Organisation
from safelane.questionnaires import selectors
from safelane.questionnaires.tasks import daily


class Command(BaseCommand):
    help = (
        "Queue, for every organisation, reminders to partner contacts whose questionnaire link "
        "expires in 7 days or tomorrow, and a new questionnaire for partners whose review falls "
        "due within 30 days (as their risk tier sets it). Run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        for org in Organisation.objects.order_by("pk").iterator():
            if selectors.has_daily_work(org):
                daily.enqueue(org.pk)
                queued += 1
        self.stdout.write(
            f"Queued questionnaire reminders and re-sends for {queued} organisations."
        )
