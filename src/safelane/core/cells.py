"""Stored text as every export can hold it: printable in XML (XLSX, DOCX) and PDF, and never a
formula in a spreadsheet (CSV, XLSX).

Whatever the forms accept today, older rows may hold control characters that XML 1.0 cannot
store, which makes openpyxl and python-docx refuse the whole file and which WeasyPrint prints
as missing-glyph boxes that garble a PDF's text layer (search, copy, screen readers); or text
that a spreadsheet runs as a formula (OWASP "CSV injection"). Every CSV, XLSX, DOCX and PDF
writer passes its text through here, so that no stored value can break an export or act in one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# XML 1.0 allows tab, newline, carriage return, U+0020-U+D7FF, U+E000-U+FFFD and U+10000 up.
# DEL and the C1 controls are allowed there but are not text anyone meant to write.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and CR,
# skips them and reads what follows as one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel refuses longer cells (and offers to "repair" the workbook); LibreOffice cuts them.
XLSX_CELL_LIMIT = 32_767

# openpyxl stores these strings as error values, not text.
_XLSX_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))

_AS_THEY_ARE = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def printable(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold and without other control
    characters; tab, newline and carriage return stay."""
    return _UNPRINTABLE.sub("", str(text))


def spreadsheet_cell(value: Any) -> Any:
    """A value for a CSV or XLSX cell: numbers, dates, booleans and None as they are; anything
    else as printable text, with a quote in front when a spreadsheet would run it."""
    if value is None or isinstance(value, _AS_THEY_ARE):
        return value
    text = printable(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row for `csv.writer.writerow`."""
    return [spreadsheet_cell(value) for value in values]


def xlsx_row(values: Iterable[Any]) -> list[Any]:
    """A row for openpyxl's `append`: text cells stay text (never a formula or an error value)
    and fit in a cell."""
    row = []
    for value in values:
        cell = spreadsheet_cell(value)
        if isinstance(cell, str):
            if cell in _XLSX_ERROR_CODES:
                cell = "'" + cell
            if len(cell) > XLSX_CELL_LIMIT:
                cell = cell[: XLSX_CELL_LIMIT - 1] + "…"
        row.append(cell)
    return row
