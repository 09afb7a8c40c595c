"""The partner register as CSV and XLSX, in the import's own columns (a file exported can be
corrected and imported into another organisation)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from safelane.core.cells import csv_row, xlsx_row
from safelane.partners.models import PartnerContact, PartnerName

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safelane.orgs.models import Organisation
    from safelane.partners.models import Partner

COLUMNS = [
    "name",
    "type",
    "country",
    "other_names",
    "services",
    "ctpat_status",
    "ctpat_account",
    "ctpat_tier",
    "mra_programme",
    "mra_id",
    "status_verified_on",
    "tier",
    "tier_reasons",
    "next_review",
    "screening",
    "contact_name",
    "contact_email",
    "contact_language",
]


def rows(org: Organisation, partners: QuerySet[Partner]) -> list[list[Any]]:
    """One row per partner, its other names and first contact read in two queries."""
    listed = list(partners)
    ids = [p.pk for p in listed]
    names: dict[int, list[str]] = {}
    for n in PartnerName.objects.for_org(org).filter(partner_id__in=ids).order_by("name"):
        names.setdefault(n.partner_id, []).append(n.name)
    contacts: dict[int, PartnerContact] = {}
    for c in PartnerContact.objects.for_org(org).filter(partner_id__in=ids).order_by("pk"):
        contacts.setdefault(c.partner_id, c)
    out = []
    for p in listed:
        contact = contacts.get(p.pk)
        out.append(
            [
                p.name,
                p.kind,
                "; ".join(c.code for c in p.countries),
                "; ".join(names.get(p.pk, [])),
                p.services,
                p.ctpat_status,
                p.ctpat_account,
                p.ctpat_tier,
                p.mra_programme,
                p.mra_id,
                p.status_verified_on.isoformat() if p.status_verified_on else "",
                p.tier,
                " | ".join(p.reason_lines),
                p.next_review.isoformat() if p.next_review else "",
                p.screening,
                contact.name if contact else "",
                contact.email if contact else "",
                contact.language if contact else "",
            ]
        )
    return out


def as_csv(org: Organisation, partners: QuerySet[Partner]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows(org, partners):
        writer.writerow(csv_row(row))
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(org: Organisation, partners: QuerySet[Partner]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Partners")[:31]
    sheet.append(COLUMNS)
    for row in rows(org, partners):
        sheet.append(xlsx_row(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0A4352")
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
