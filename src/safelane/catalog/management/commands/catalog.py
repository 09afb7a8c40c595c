"""`safelane catalog export|import|load|official|versions`: the MSC catalog from the command
line."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safelane.catalog import exports, official
from safelane.catalog.imports import read_table, to_document
from safelane.catalog.loader import CatalogFileError, LoadResult, load, next_label, parse_yaml
from safelane.catalog.models import CatalogVersion, UploadStatus
from safelane.catalog.selectors import current_version
from safelane.core.audit import audit_source
from safelane.core.errors import DomainError
from safelane.core.models import AuditSource
from safelane.orgs.models import Organisation


class Command(BaseCommand):
    help = "Export, import and inspect the CTPAT MSC catalog."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the current catalog.")
        export.add_argument("--format", choices=list(exports.FORMATS), default="json")
        export.add_argument(
            "--output", "-o", help="File to write (required for xlsx and oscal, which are binary)."
        )
        export.add_argument(
            "--org",
            metavar="ORG_SLUG",
            help="Add this organisation's scope, decisions (with reasons) and own criteria.",
        )
        imp = sub.add_parser("import", help="Load corrections from a CSV or XLSX table.")
        imp.add_argument("file")
        imp.add_argument("--label", help="Name of the new catalog version.")
        imp.add_argument(
            "--replace", action="store_true", help="Remove criteria that the file does not list."
        )
        upgrade = sub.add_parser("load", help="Load a catalog YAML file as the new version.")
        upgrade.add_argument("file")
        doc = sub.add_parser(
            "official",
            help="Read an entity type's official MSC document (PDF) and compare it with the "
            "catalog; with --confirm, record it as a new catalog edition.",
        )
        doc.add_argument("file")
        doc.add_argument(
            "--confirm", action="store_true", help="Record it (without: only show the comparison)."
        )
        sub.add_parser("versions", help="List loaded catalog versions.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        with audit_source(AuditSource.CLI):
            getattr(self, f"do_{action}")(options)

    def _current(self) -> CatalogVersion:
        version = current_version()
        if version is None:
            raise CommandError("No catalog is loaded; run `safelane migrate` first.")
        return version

    def do_export(self, options: dict[str, Any]) -> None:
        version = self._current()
        fmt, output = options["format"], options["output"]
        tailored = None
        if options.get("org"):
            org = Organisation.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"No organisation has the short name {options['org']!r}.")
            tailored = exports.tailoring(org, version)
        data = exports.FORMATS[fmt].build(version, tailored)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {output} ({len(data)} bytes, catalog {version.label}).")
        elif fmt in {"xlsx", "oscal"}:
            raise CommandError(f"--output is required for {fmt}.")
        else:
            sys.stdout.buffer.write(data)

    def _report(self, result: LoadResult) -> None:
        if not result.created:
            self.stdout.write(f"No changes: the catalog stays at {result.version.label}.")
            return
        diff = result.diff
        self.stdout.write(self.style.SUCCESS(f"Catalog {result.version.label} is now current."))
        self.stdout.write(f"  added:   {', '.join(diff.added) or '-'}")
        self.stdout.write(f"  removed: {', '.join(diff.removed) or '-'}")
        for ident, fields in diff.changed.items():
            self.stdout.write(f"  changed: {ident} ({', '.join(fields)})")

    def do_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            table = read_table(path.read_bytes(), path.name)
            doc = to_document(table, self._current(), replace=options["replace"])
            label = options["label"] or next_label(self._current().label)
            result = load(doc, source=f"import of {path.name}", label=label)
        except CatalogFileError as exc:
            raise CommandError("The file was not loaded:\n" + "\n".join(exc.problems)) from None
        self._report(result)

    def do_load(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            data = parse_yaml(path.read_text(encoding="utf-8"), name=path.name)
            result = load(data, source=f"file {path.name}")
        except CatalogFileError as exc:
            raise CommandError("The file was not loaded:\n" + "\n".join(exc.problems)) from None
        self._report(result)

    def do_official(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        content = path.open("rb").read(official.MAX_BYTES + 1)
        upload = official.upload(
            actor=None,
            content=content,
            file_name=path.name,
            size=path.stat().st_size,
            source=AuditSource.CLI,
        )
        if upload.status == UploadStatus.REFUSED:
            raise CommandError(f"{path.name} was refused, nothing changed: {upload.refusal}")
        comparison = official.compare(upload, self._current())
        self.stdout.write(f"{upload.heading} ({upload.pages} pages, {len(upload.rows)} criteria)")
        self.stdout.write(f"  compared with catalog {comparison.version.label}")
        for title, lines in (
            ("Must/Should differ", comparison.changed),
            ("in the document, not in the catalog", comparison.new),
            ("not in the document (will not apply)", comparison.missing),
            ("not in the document, kept (a CBP notice applies it to all)", comparison.kept),
        ):
            shown = ", ".join(
                f"{line.ident} ({line.catalog_ms} -> {line.document_ms})"
                if line.kind == official.Kind.CHANGED
                else line.ident
                for line in lines
            )
            self.stdout.write(f"  {title}: {shown or '-'}")
        self.stdout.write(f"  the catalog agrees on {len(comparison.confirmed)} criteria")
        if not options["confirm"]:
            self.stdout.write("Nothing recorded; run again with --confirm to record it.")
            return
        try:
            result = official.record(
                actor=None, upload_record=upload, expected_version=comparison.version.pk
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(self.style.SUCCESS(official.recorded_message(result)))

    def do_versions(self, options: dict[str, Any]) -> None:
        for version in CatalogVersion.objects.all():
            mark = "*" if version.is_current else " "
            count = version.criteria.count()
            self.stdout.write(
                f"{mark} {version.label:<30} {count:>4} criteria  {version.loaded_at:%Y-%m-%d %H:%M}  "
                f"{version.source}"
            )
