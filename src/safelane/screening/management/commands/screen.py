"""`safelane screen INPUT.csv --output HITS.csv [--threshold X]`: screen a file of names against
the restricted-party lists loaded in the database.

INPUT is UTF-8 CSV with the columns `id` and `name`, and optionally `country` (an ISO code or an
English name) and `kind` (entity, individual, vessel, aircraft). HITS has one row per hit, with
exactly the columns `id,name,list,entry_id,matched_name,score` (score with three decimals),
best hits of each name first. A file with a problem is refused whole, one line per problem, and
nothing is written.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safelane.core.cells import csv_row
from safelane.core.imports import RowsRefusedError, read_csv
from safelane.screening import selectors, services
from safelane.screening.countries import country_code
from safelane.screening.matching import Matcher
from safelane.screening.models import EntryKind

COLUMNS = ("id", "name", "list", "entry_id", "matched_name", "score")
MAX_NAME = 1000
# Below this many names, one process is quicker than starting more.
PARALLEL_FROM = 4000
CHUNK = 1000

# (id, name, country, kind) of each name to screen.
Row = tuple[str, str, str | None, str | None]

# The matcher the worker processes inherit when they fork.
_matcher: Matcher | None = None
_threshold = 0.0


def _screen(rows: list[Row]) -> list[list[Any]]:
    assert _matcher is not None
    candidates = [
        services.Candidate(key=key, name=name, country=country, kind=kind)
        for key, name, country, kind in rows
    ]
    return [
        [hit.key, hit.name, hit.list, hit.entry_id, hit.matched_name, f"{hit.score:.3f}"]
        for hit in services.screen_with(_matcher, candidates, threshold=_threshold)
    ]


def _workers(requested: int | None, rows: int) -> int:
    if requested:
        return requested
    if rows < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class Command(BaseCommand):
    help = "Screen a CSV file of names (id,name[,country][,kind]) against the loaded restricted-party lists."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "input", help="CSV file with the columns id and name (country, kind optional)."
        )
        parser.add_argument("--output", "-o", required=True, help="CSV file to write the hits to.")
        parser.add_argument(
            "--threshold",
            type=float,
            help=f"Score from which a name is a hit, 0 to 1 (default {services.default_threshold()}, setting SCREENING_THRESHOLD).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes to screen with (default: one per core for large files).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        global _matcher, _threshold
        threshold = options["threshold"]
        if threshold is None:
            threshold = services.default_threshold()
        if not 0 < threshold <= 1:
            raise CommandError(_("--threshold must be above 0 and at most 1."))
        path = Path(options["input"])
        if not path.is_file():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        rows = self._read(path)
        snapshots = selectors.active_snapshots()
        if not snapshots:
            raise CommandError(
                _("No restricted-party list is loaded; load one with `safelane lists load` first.")
            )
        _matcher, _threshold = services.matcher(), threshold
        workers = _workers(options["workers"], len(rows))
        chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
        if workers > 1:
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_screen, chunks)
        else:
            results = [_screen(chunk) for chunk in chunks]
        output = Path(options["output"])
        hits = self._write(output, results)
        screened = {row[0] for result in results for row in result}
        sys.stderr.write(
            _(
                "Screened %(names)s names against %(lists)s: %(hits)s hits for %(hit_names)s names. Wrote %(output)s."
            )
            % {
                "names": f"{len(rows):,}",
                "lists": ", ".join(s.list_name for s in snapshots),
                "hits": f"{hits:,}",
                "hit_names": f"{len(screened):,}",
                "output": output,
            }
            + "\n"
        )

    def _read(self, path: Path) -> list[Row]:
        try:
            table = read_csv(path.read_bytes(), required={"id", "name"})
        except RowsRefusedError as refused:
            self._refuse(path, refused.problems)
        problems = []
        rows: list[Row] = []
        kinds = set(EntryKind.values) - {EntryKind.UNKNOWN}
        for number, values in table.rows:
            name = values["name"].strip()
            if not name:
                problems.append(_("Row %(row)s: the name is empty.") % {"row": number})
            elif len(name) > MAX_NAME:
                problems.append(
                    _("Row %(row)s: the name is longer than %(max)s characters.")
                    % {"row": number, "max": MAX_NAME}
                )
            country = (values.get("country") or "").strip()
            code = country_code(country) if country else None
            if country and code is None:
                problems.append(
                    _("Row %(row)s: unknown country %(value)r.") % {"row": number, "value": country}
                )
            kind = (values.get("kind") or "").strip().lower() or None
            if kind and kind not in kinds:
                problems.append(
                    _("Row %(row)s: the kind must be one of %(kinds)s, not %(value)r.")
                    % {"row": number, "kinds": ", ".join(sorted(kinds)), "value": kind}
                )
            rows.append((values["id"].strip(), name, code, kind))
        if problems:
            self._refuse(path, problems)
        return rows

    def _refuse(self, path: Path, problems: list[str]) -> None:
        for problem in problems:
            sys.stderr.write(f"{problem}\n")
        raise CommandError(
            ngettext(
                "%(path)s was not screened (%(count)s problem); nothing was written.",
                "%(path)s was not screened (%(count)s problems); nothing was written.",
                len(problems),
            )
            % {"path": path.name, "count": len(problems)}
        )

    def _write(self, output: Path, results: list[list[list[Any]]]) -> int:
        """Write the hits to a temporary file beside `output`, then put it in its place."""
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".tmp"
        )
        hits = 0
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(COLUMNS)
                for result in results:
                    for row in result:
                        writer.writerow(csv_row(row))
                        hits += 1
            Path(temporary).replace(output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return hits
