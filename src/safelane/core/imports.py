"""Reading the CSV files people import (threat tables, catalog corrections, partners, ...): every
problem named with its row, before anything is written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from safelane.core.errors import DomainError
from safelane.core.records import CONTROL_CHARACTERS

# The longest field Python's csv module reads (its default limit).
MAX_FIELD = csv.field_size_limit()


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the file counts it, values)


class RowsRefusedError(DomainError):
    """The file cannot be imported; `problems` lists each one with its row."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


def read_csv(content: bytes, *, required: set[str]) -> Table:
    """The rows of a UTF-8 CSV file with a header row naming `required` columns (and maybe more).

    Refuses, naming the row: a file that is not UTF-8, a missing column, a field longer than
    the csv module reads, a malformed line, and control characters in any value.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RowsRefusedError([_("The file is not UTF-8 text.")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    problems: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        columns = [c.strip() for c in reader.fieldnames or []]
        reader.fieldnames = columns
        missing = required - set(columns)
        if missing:
            raise RowsRefusedError(
                [
                    _("Row 1: the columns %(cols)s are missing.")
                    % {"cols": ", ".join(sorted(missing))}
                ]
            )
        for row in reader:
            number = reader.line_num
            values = {str(k): (v or "") for k, v in row.items() if k is not None}
            if any(CONTROL_CHARACTERS.search(v) for v in values.values()):
                problems.append(
                    _("Row %(row)s holds a control character; remove it and try again.")
                    % {"row": number}
                )
            rows.append((number, values))
    except csv.Error as error:
        line = reader.line_num or 1
        if "field larger than field limit" in str(error):
            problems.append(
                _("Row %(row)s: a field is longer than %(limit)s characters.")
                % {"row": line, "limit": f"{MAX_FIELD:,}"}
            )
        else:
            problems.append(
                _("Row %(row)s cannot be read: %(error)s") % {"row": line, "error": error}
            )
    if problems:
        raise RowsRefusedError(problems)
    return Table(columns, rows)
