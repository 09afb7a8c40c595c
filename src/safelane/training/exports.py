"""The training matrix for a validator: CSV, XLSX (a sheet of the cells and one of the coverage)
and PDF (the coverage chart, then who is overdue or due soon), every text through core.cells."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from safelane.core.cells import csv_row, printable, xlsx_row
from safelane.training.selectors import DONE, DUE_SOON, NOT_REQUIRED, OVERDUE, Cell

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation
    from safelane.training.matrix import MatrixPage
    from safelane.training.models import TrainingSession

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {DONE: "D7F0E2", DUE_SOON: "FCEFC7", OVERDUE: "F9D7D3", NOT_REQUIRED: "EEF1F5"}


def cell_text(cell: Cell) -> str:
    """A cell as a validator reads it: "Done 2026-03-02", "Overdue since 2026-01-10"."""
    if cell.state == DONE and cell.done_on:
        return f"{cell.label} {cell.done_on.isoformat()}"
    if cell.state in (OVERDUE, DUE_SOON) and cell.due_on:
        return f"{cell.label} {cell.due_on.isoformat()}"
    return cell.label


def _header(found: MatrixPage) -> list[Any]:
    return [
        _("Employee number"),
        _("Name"),
        _("Role"),
        _("Site"),
        *[c.shown_title for c in found.courses],
    ]


def _person(row: Any) -> list[Any]:
    p = row.person
    return [p.employee_number, p.name, p.role, p.site]


def as_csv(org: Organisation, found: MatrixPage) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(_header(found)))
    for row in found.rows:
        writer.writerow(csv_row([*_person(row), *[cell_text(c) for c in row.cells]]))
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(org: Organisation, found: MatrixPage) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Training matrix")[:31]
    sheet.append(xlsx_row([_("Training matrix"), org.name, timezone.localdate()]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(xlsx_row(_header(found)))
    for c in sheet[3]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="0A4352")
    for number, row in enumerate(found.rows, start=4):
        sheet.append(xlsx_row([*_person(row), *[cell_text(c) for c in row.cells]]))
        for column, state in enumerate((c.state for c in row.cells), start=5):
            sheet.cell(number, column).fill = PatternFill("solid", fgColor=FILLS[state])
    sheet.freeze_panes = "C4"
    for letter, width in (("A", 16), ("B", 28), ("C", 20), ("D", 18)):
        sheet.column_dimensions[letter].width = width
    covered = book.create_sheet(_("Coverage")[:31])
    covered.append(
        xlsx_row([_("Course"), _("Required"), _("Done"), _("Due soon"), _("Overdue"), "%"])
    )
    for item in found.coverage:
        covered.append(
            xlsx_row(
                [
                    item.course.shown_title,
                    item.required,
                    item.done,
                    item.due_soon,
                    item.overdue,
                    item.percent,
                ]
            )
        )
    covered.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(org: Organisation, found: MatrixPage) -> bytes:
    from weasyprint import HTML

    late = [r for r in found.rows if any(c.state in (OVERDUE, DUE_SOON) for c in r.cells)]
    html = render_to_string(
        "training/matrix_pdf.html",
        {
            "org": org,
            "found": found,
            "chart": found.chart,
            "late": [
                (
                    r.person,
                    [
                        (c, cell)
                        for c, cell in zip(found.courses, r.cells, strict=True)
                        if cell.state in (OVERDUE, DUE_SOON)
                    ],
                )
                for r in late
            ],
            "generated": timezone.now(),
        },
    )
    return bytes(HTML(string=printable(html)).write_pdf())


def attendance_sheet(org: Organisation, session: TrainingSession) -> bytes:
    """The session's attendance sheet: date, trainer, courses and topics, and a line per attendee
    to sign (training records show date, attendees, topics), with the score where there is one."""
    from weasyprint import HTML

    from safelane.training import selectors

    html = render_to_string(
        "training/attendance_pdf.html",
        {
            "org": org,
            "session": session,
            "courses": list(session.courses.all()),
            "attendance": selectors.session_page(org, session).attendance,
            "blank_lines": range(5),
        },
    )
    return bytes(HTML(string=printable(html)).write_pdf())
