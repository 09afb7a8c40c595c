"""`safelane partners import ORG_SLUG FILE [--skip-bad-rows]`: partners from a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelane.core.audit import audit_source
from safelane.core.imports import RowsRefusedError
from safelane.core.models import AuditSource
from safelane.orgs.models import Organisation
from safelane.partners import imports, screening


class Command(BaseCommand):
    help = "Business partners from the command line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="Import partners from CSV or XLSX (columns name, type, country at least). "
            "Writes nothing and exits 1 if any row is bad, unless --skip-bad-rows.",
        )
        load.add_argument("org_slug")
        load.add_argument("file")
        load.add_argument("--skip-bad-rows", action="store_true", help="Import the good rows only.")

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
                outcome = imports.write(
                    org=org,
                    actor=None,
                    rows=checked,
                    file_name=path.name,
                    content=content,
                    skip_bad_rows=options["skip_bad_rows"],
                )
            except RowsRefusedError as error:
                for problem in error.problems:
                    self.stderr.write(problem)
                raise CommandError(
                    f"Nothing was imported: {len(error.problems)} problem(s)."
                ) from None
            hits = screening.screen_all(org=org, actor=None, partners=outcome.partners)
        for problem in imports.problem_lines([r for r in checked if r.problems]):
            self.stderr.write(f"Left out: {problem}")
        self.stdout.write(
            f"Imported {len(outcome.partners)} partner(s) into {org.slug}; "
            f"{outcome.record.skipped} row(s) left out; {hits} screening hit(s) to review."
        )
