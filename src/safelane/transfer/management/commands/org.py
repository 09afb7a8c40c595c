"""`safelane org export ORG_SLUG -o FILE.zip` and `safelane org import FILE.zip [--slug NEW]`:
one organisation's data and files out of one installation and into another."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelane.core.audit import audit_source
from safelane.core.models import AuditSource
from safelane.orgs.models import Organisation
from safelane.transfer import services
from safelane.transfer.archive import ArchiveRefusedError


class Command(BaseCommand):
    help = "Export one organisation to an archive, or import an archive as a new organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser(
            "export",
            help="Write the organisation's data, audit trail and files, with a manifest of "
            "SHA-256 hashes, to a zip archive.",
        )
        out.add_argument("org_slug")
        out.add_argument("-o", "--output", required=True, help="The archive to write (.zip).")
        load = sub.add_parser(
            "import",
            help="Check every hash of the archive, then load it as a new organisation in one "
            "transaction. Exits 1, writing nothing, if the archive is damaged or edited or "
            "the short name is taken.",
        )
        load.add_argument("file")
        load.add_argument("--slug", help="A new short name (default: the archive's own).")

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_source(AuditSource.CLI):
            if options["action"] == "export":
                self.export(options["org_slug"], Path(options["output"]))
            else:
                self.load(Path(options["file"]), options["slug"])

    def export(self, slug: str, output: Path) -> None:
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"No organisation has the short name {slug!r}.")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent} is not a directory.")
        # Written beside the target and renamed at the end: a failed export leaves no half file.
        handle, partial = tempfile.mkstemp(dir=output.parent, suffix=".partial")
        try:
            with os.fdopen(handle, "wb") as out:
                transfer, warnings = services.export_organisation(
                    org=org, actor=None, out=out, archive_name=output.name
                )
            Path(partial).replace(output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        for warning in warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(
            f"{org.slug}: {transfer.rows} rows written to {output} "
            f"(data manifest {transfer.manifest_sha256})."
        )

    def load(self, path: Path, slug: str | None) -> None:
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            with path.open("rb") as source:
                transfer = services.import_organisation(
                    source=source, slug=slug, actor=None, archive_name=path.name
                )
        except ArchiveRefusedError as error:
            raise CommandError(f"Nothing was imported: {error.message}") from None
        self.stdout.write(
            f"{transfer.organisation.slug}: {transfer.rows} rows imported from {path} "
            f"(data manifest {transfer.manifest_sha256})."
        )
