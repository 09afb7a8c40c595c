import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safelane.membership import selectors
from safelane.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Print an organisation's CTPAT membership clocks: when the certification decision, the "
        "first validation, the annual review window and review, the revalidation (and any "
        "suspension or appeal deadline) fall due. --json prints what the API's `clocks` holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("org_slug", help="The organisation's short name, as in its addresses.")
        parser.add_argument(
            "--json",
            action="store_true",
            help="ISO dates as JSON, null where a clock does not run.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["org_slug"]).first()
        if org is None:
            raise CommandError(f"No organisation is called {options['org_slug']!r}.")
        record = selectors.membership(org)
        if options["json"]:
            self.stdout.write(json.dumps(selectors.clocks_json(record), indent=2))
            return
        self.stdout.write(f"{org.name}: {record.get_status_display()}")
        for clock in selectors.clocks_of(record, timezone.localdate()):
            when = clock.due.isoformat() if clock.due else "-"
            self.stdout.write(f"  {when:<10}  {clock.title}: {clock.rule}")
