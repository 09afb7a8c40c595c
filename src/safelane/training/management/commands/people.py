"""`safelane people import ORG_SLUG FILE [--skip-bad-rows] [--deactivate-missing]`: the people
register from a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelane.core.audit import audit_source
from safelane.core.imports import RowsRefusedError
from safelane.core.models import AuditSource
from safelane.orgs.models import Organisation
from safelane.training import imports, services


class Command(BaseCommand):
    help = "The people register (training, MSC 12) from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="Import people from CSV or XLSX (columns employee_number, name, role, site; "
            "department, start_date, active may follow). Known employee numbers are updated, "
            "never duplicated. Writes nothing and exits 1 if any row is bad, unless "
            "--skip-bad-rows.",
        )
        load.add_argument("org_slug")
        load.add_argument("file")
        load.add_argument("--skip-bad-rows", action="store_true", help="Import the good rows only.")
        load.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="The file lists everyone: make the people it leaves out inactive (never deleted).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["org_slug"]).first()
        if org is None:
            raise CommandError(f"No organisation has the short name {options['org_slug']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        content = path.read_bytes()
        with audit_source(AuditSource.CLI):
            try:
                headers, rows = imports.read_table(content, path.name)
                checked = imports.check_rows(rows, imports.guess_mapping(headers))
                outcome = services.import_people(
                    org=org,
                    actor=None,
                    rows=checked,
                    file_name=path.name,
                    content=content,
                    skip_bad_rows=options["skip_bad_rows"],
                    deactivate_missing=options["deactivate_missing"],
                )
            except RowsRefusedError as error:
                for problem in error.problems:
                    self.stderr.write(problem)
                raise CommandError(
                    f"Nothing was imported: {len(error.problems)} problem(s)."
                ) from None
        for problem in imports.problem_lines([r for r in checked if r.problems]):
            self.stderr.write(f"Left out: {problem}")
        self.stdout.write(
            f"{org.slug}: {outcome.added} added, {outcome.updated} updated, "
            f"{outcome.deactivated} made inactive; {outcome.record.skipped} row(s) left out."
        )
