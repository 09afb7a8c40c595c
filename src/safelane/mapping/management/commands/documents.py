"""`safelane documents map INPUT.csv --output PRED.csv [--threshold X]`: paragraphs ranked
against the current catalog edition's criteria, for consultants and for checking the ranker."""

from __future__ import annotations

import csv
import io
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safelane.mapping import ranking

LIMIT = 10  # rows per paragraph, best first


class Command(BaseCommand):
    help = "Map paragraphs of a company's documents to the CTPAT criteria."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        mapping = sub.add_parser(
            "map",
            help="Rank each paragraph of a CSV file (columns pid,text and optionally lang) "
            "against the current catalog's criteria.",
        )
        mapping.add_argument("input", metavar="INPUT.csv")
        mapping.add_argument(
            "--output",
            "-o",
            required=True,
            metavar="PRED.csv",
            help=f"File to write: pid,rank,criterion_id,score, up to {LIMIT} rows per "
            "paragraph, best first (rank 1), a higher score better.",
        )
        mapping.add_argument(
            "--threshold",
            type=float,
            default=None,
            metavar="X",
            help="Write only rows scoring at least X. Without it every paragraph gets its "
            f"top {LIMIT}. The review screen shows no proposal below {ranking.THRESHOLD} "
            "(scores run from 0 to 1): below it a passage is most likely not evidence of "
            "that criterion.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paragraphs = read_paragraphs(Path(options["input"]))
        criteria = ranking.catalog_criteria()
        if not criteria:
            raise CommandError("No catalog is loaded; run `safelane migrate` first.")
        ranker = ranking.Ranker(criteria)
        threshold = options["threshold"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["pid", "rank", "criterion_id", "score"])
        rows = 0
        for pid, text, lang in paragraphs:
            found = ranker.rank(text, lang=lang, limit=LIMIT)
            for rank, proposal in enumerate(found, start=1):
                if threshold is not None and proposal.score < threshold:
                    break
                writer.writerow([pid, rank, proposal.ident, f"{proposal.score:.4f}"])
                rows += 1
        try:
            Path(options["output"]).write_text(out.getvalue(), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from error
        self.stdout.write(
            f"{len(paragraphs)} paragraphs, {rows} rows written to {options['output']}."
        )


def read_paragraphs(path: Path) -> list[tuple[str, str, str | None]]:
    """(pid, text, lang or None) from a UTF-8 CSV file, with or without a byte order mark."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text.") from error
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = {name.strip().lower(): name for name in reader.fieldnames or []}
    missing = [name for name in ("pid", "text") if name not in columns]
    if missing:
        raise CommandError(
            f"{path} needs the columns pid and text (and optionally lang); "
            f"missing: {', '.join(missing)}."
        )
    found = []
    try:
        for row in reader:
            lang = (row.get(columns.get("lang", ""), "") or "").strip().lower()[:2] or None
            found.append((row[columns["pid"]] or "", row[columns["text"]] or "", lang))
    except csv.Error as error:
        raise CommandError(f"{path} is not a readable CSV file: {error}.") from error
    return found
