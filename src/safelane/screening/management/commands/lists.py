"""`safelane lists load|show`: the restricted-party lists from the command line."""

from __future__ import annotations

import datetime
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safelane.screening import selectors, services
from safelane.screening.loaders import LoadError
from safelane.screening.models import RestrictedList


class Command(BaseCommand):
    help = "Load restricted-party lists and show the loaded snapshots."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load",
            help="Load a list as its new active snapshot: ofac-sdn DIR (sdn.csv, alt.csv, "
            "add.csv), csl FILE (.csv or .json), dpl FILE (dpl.txt).",
        )
        load.add_argument("list_name", choices=RestrictedList.values, metavar="LIST")
        load.add_argument("path")
        load.add_argument("--label", default="", help="A name for this snapshot.")
        load.add_argument("--published", help="The list's publication date, YYYY-MM-DD.")
        sub.add_parser("show", help="Show the active snapshots and their counts.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_load(self, options: dict[str, Any]) -> None:
        list_name = options["list_name"]
        published = None
        if options["published"]:
            try:
                published = datetime.date.fromisoformat(options["published"])
            except ValueError:
                raise CommandError(
                    _("--published must be a date written YYYY-MM-DD, not %(value)r.")
                    % {"value": options["published"]}
                ) from None
        try:
            result = services.load_files(
                actor=None,
                list_name=list_name,
                path=Path(options["path"]),
                label=options["label"][:100],
                published=published,
            )
        except LoadError as error:
            for problem in error.problems:
                sys.stderr.write(f"{problem}\n")
            count = len(error.problems)
            raise CommandError(
                ngettext(
                    "%(list)s was not loaded (%(count)s problem); the active snapshot stays as it was.",
                    "%(list)s was not loaded (%(count)s problems); the active snapshot stays as it was.",
                    count,
                )
                % {"list": list_name, "count": count}
            ) from None
        snapshot = result.snapshot
        if not result.created:
            self.stdout.write(
                _("No change: these files are the active snapshot of %(list)s already.")
                % {"list": list_name}
            )
            return
        self.stdout.write(
            _(
                "%(list)s: %(entries)s entries and %(names)s names loaded; this snapshot is now active."
            )
            % {
                "list": list_name,
                "entries": f"{snapshot.entry_count:,}",
                "names": f"{snapshot.name_count:,}",
            }
        )

    def do_show(self, options: dict[str, Any]) -> None:
        active = selectors.active_snapshots()
        if not active:
            self.stdout.write(_("No list is loaded. Load one with `safelane lists load`."))
            return
        older = {s.list_name: 0 for s in active}
        for snapshot in selectors.snapshots():
            if not snapshot.is_active and snapshot.list_name in older:
                older[snapshot.list_name] += 1
        for snapshot in active:
            line = _(
                "%(list)s: %(entries)s entries, %(names)s names, loaded %(loaded)s, files %(files)s"
            ) % {
                "list": snapshot.list_name,
                "entries": f"{snapshot.entry_count:,}",
                "names": f"{snapshot.name_count:,}",
                "loaded": f"{snapshot.loaded_at:%Y-%m-%d %H:%M} UTC",
                "files": ", ".join(
                    f"{f['name']} {f['sha256'][:12]}" for f in snapshot.source_files
                ),
            }
            if snapshot.label:
                line += " " + _("(label %(label)s)") % {"label": snapshot.label}
            if snapshot.published:
                line += " " + _("(published %(date)s)") % {"date": snapshot.published}
            if older[snapshot.list_name]:
                line += " " + ngettext(
                    "(%(count)s older snapshot kept)",
                    "(%(count)s older snapshots kept)",
                    older[snapshot.list_name],
                ) % {"count": older[snapshot.list_name]}
            self.stdout.write(line)
