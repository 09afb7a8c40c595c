"""The budget as XLSX and PDF, from the same numbers and chart as the page."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from safelane.core.cells import printable, xlsx_row
from safelane.core.money import xlsx_format


def as_xlsx(context: dict[str, Any]) -> bytes:
    budget = context["budget"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Budget")[:31]
    sheet.append(xlsx_row([_("CTPAT budget"), context["org"].name, budget.currency]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    header = [_("Category"), _("Estimated"), _("Actual")]
    sheet.append(xlsx_row(header))
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0A4352")
    for label, estimate, actual in budget.rows():
        sheet.append(xlsx_row([label, float(estimate), float(actual)]))
    sheet.append(
        xlsx_row([_("Total"), float(budget.total("estimate")), float(budget.total("actual"))])
    )
    sheet.append([])
    for label, value in (
        (_("Committed (estimates of open actions)"), budget.committed),
        (_("Spent (actual costs)"), budget.spent),
        (_("First-year cost of certification"), budget.first_year),
        (_("Yearly cost to stay certified"), budget.yearly),
    ):
        sheet.append(xlsx_row([label, float(value)]))
    quarters = book.create_sheet(_("By quarter")[:31])
    quarters.append(xlsx_row([_("Quarter"), _("Estimated"), _("Actual")]))
    for label, estimate, actual in budget.by_quarter:
        quarters.append(xlsx_row([label, float(estimate), float(actual)]))
    # Amounts stay numbers (a reader sums them), shown with the currency's sign.
    shown = xlsx_format(budget.currency, str(context["org"].country))
    for ws in (sheet, quarters):
        for row in ws.iter_rows(min_col=2, max_col=3):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = shown
        ws.column_dimensions["A"].width = 44
        ws.column_dimensions["B"].width = 16
        ws.column_dimensions["C"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("actions/budget_pdf.html", {**context, "generated": timezone.now()})
    return bytes(HTML(string=printable(html)).write_pdf())
