"""Inspections for a validator: CSV and XLSX, a row per inspection with its failed points, every
text through core.cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from safelane.core.cells import csv_row, xlsx_row
from safelane.inspections.models import Inspection, Outcome, PointResult

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safelane.orgs.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header() -> list[Any]:
    return [
        _("Received"),
        _("Time on the device"),
        _("Checklist"),
        _("Site"),
        _("Tractor"),
        _("Trailer"),
        _("Container"),
        _("Seals"),
        _("Driver"),
        _("Inspector"),
        _("Failed points"),
        _("Supervisor's sign-off"),
        _("Criteria"),
    ]


def _rows(org: Organisation, found: QuerySet[Inspection]) -> Iterable[list[Any]]:
    failed = PointResult.objects.for_org(org).filter(outcome=Outcome.FAIL)
    for i in found.prefetch_related(Prefetch("results", queryset=failed, to_attr="failures")):
        failures = i.failures
        local = timezone.localtime
        yield [
            local(i.recorded_at).strftime("%Y-%m-%d %H:%M"),
            local(i.device_time).strftime("%Y-%m-%d %H:%M") if i.device_time else "",
            i.checklist_title,
            i.site.name,
            i.tractor,
            i.trailer,
            i.container,
            ", ".join(i.seals),
            i.driver,
            i.signed_name,
            "; ".join(f"{r.title}: {r.note}" for r in failures),
            local(i.signed_off_at).strftime("%Y-%m-%d %H:%M") if i.signed_off_at else "",
            ", ".join(i.checklist.criteria),
        ]


def as_csv(org: Organisation, found: QuerySet[Inspection]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(_header()))
    for row in _rows(org, found.select_related("checklist")):
        writer.writerow(csv_row(row))
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(org: Organisation, found: QuerySet[Inspection]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Inspections")[:31]
    sheet.append(xlsx_row([_("Inspections"), org.name, timezone.localdate()]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(xlsx_row(_header()))
    for c in sheet[3]:
        c.font = Font(bold=True)
    for row in _rows(org, found.select_related("checklist")):
        sheet.append(xlsx_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
