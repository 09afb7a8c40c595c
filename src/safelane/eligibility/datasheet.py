"""The portal data sheet: the application data laid out in the order the CTPAT Portal asks
for it, so that the company officer can type it in. PDF (WeasyPrint) and XLSX (openpyxl) are
built from the same sections."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from safelane.assessments import services as cover
from safelane.catalog.selectors import entity_type, org_entity_types
from safelane.core.cells import printable, xlsx_row
from safelane.eligibility import selectors
from safelane.eligibility.models import AddressKind

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


@dataclass(frozen=True)
class Section:
    title: str | Promise
    rows: list[tuple[str, str]]
    note: str = ""


def _yes_no(value: bool | None) -> str:
    return {True: _("Yes"), False: _("No"), None: _("Not stated")}[value]


def _business_rows(org: Organisation) -> list[tuple[str, str]]:
    business = []
    for item in org_entity_types(org):
        kind = entity_type(item.entity_type)
        if kind is None:
            continue
        sub = kind.subtype(item.subtype) if item.subtype else None
        label = f"{kind.portal_label} - {sub.name}" if sub else kind.portal_label
        business.append((str(_("Business type")), label))
    return business


def _address_rows(snap: Any) -> list[tuple[str, str]]:
    addresses = sorted(snap.addresses, key=lambda a: a.kind != AddressKind.HEADQUARTERS)
    return [
        (
            f"{a.get_kind_display()}{' (' + a.label + ')' if a.label else ''}",
            ", ".join(
                part
                for part in (a.line1, a.line2, a.city, a.region, a.postal_code, a.country.name)
                if part
            )
            + (f" — {_('staffed office')}" if a.staffed else ""),
        )
        for a in addresses
    ]


def _contact_rows(snap: Any) -> list[tuple[str, str]]:
    rows = []
    for c in snap.contacts:
        roles = [
            str(label)
            for flag, label in (
                (c.is_primary, _("primary point of contact")),
                (c.is_company_officer, _("company officer")),
                (c.is_security_lead, _("primary cargo security officer")),
                (c.is_alternate, _("alternate point of contact")),
            )
            if flag
        ]
        rows.append(
            (c.name, "; ".join(filter(None, [c.title, c.email, c.phone, ", ".join(roles)])))
        )
    return rows


def _identifier_rows(snap: Any) -> list[tuple[str, str]]:
    return [(str(i.get_kind_display()), i.value) for i in snap.identifiers] + [
        (str(b.get_kind_display()), f"{b.number} {b.surety}".strip()) for b in snap.bonds
    ]


def company_facts(org: Organisation) -> cover.CompanyFacts:
    """The application data at the front of the security profile, and its officer."""
    snap = selectors.snapshot(org)
    prof = snap.profile
    company = [(str(_("Legal name")), org.name)]
    if prof.dba:
        company.append((str(_("Doing business as (DBA)")), prof.dba))
    company += _business_rows(org)
    officer = None
    named = next((c for c in snap.contacts if c.is_company_officer), None)
    affirmed = next(iter(snap.affirmations), None)
    if affirmed is not None:
        officer = cover.Officer(
            affirmed.officer_name,
            affirmed.officer_title,
            timezone.localdate(affirmed.created_at),
            _("Partner Agreement affirmed in Safelane by %(email)s; statement SHA-256 %(sha)s…")
            % {"email": affirmed.user.email, "sha": affirmed.statement_sha256[:16]},
        )
    elif named is not None:
        officer = cover.Officer(named.name, named.title)
    return cover.CompanyFacts(
        [
            cover.FactSection(str(_("Company")), company),
            cover.FactSection(str(_("Identifiers")), _identifier_rows(snap)),
            cover.FactSection(str(_("Addresses")), _address_rows(snap)),
            cover.FactSection(str(_("CTPAT contacts")), _contact_rows(snap)),
        ],
        officer,
    )


def sections(org: Organisation) -> list[Section]:
    snap = selectors.snapshot(org)
    prof = snap.profile
    business = _business_rows(org)
    address_rows = _address_rows(snap)
    contact_rows = _contact_rows(snap)
    years = None
    if prof.business_start_date:
        years = (timezone.localdate() - prof.business_start_date).days // 365
    missing = [item for item in selectors.readiness(org) if not item.done]
    affirmed = list(snap.affirmations)
    return [
        Section(_("1. Business type"), business or [(_("Business type"), _("Not chosen yet"))]),
        Section(
            _("2. Company information"),
            [
                (_("Company name"), org.name),
                (_("Doing business as (DBA)"), prof.dba),
                (_("Telephone"), prof.phone),
                (_("Fax"), prof.fax),
                (_("Website"), prof.website),
                (_("Brief company history"), prof.history),
            ],
        ),
        Section(_("3. Addresses"), address_rows or [(_("Primary address"), _("Not entered yet"))]),
        Section(
            _("4. Additional company information"),
            [
                (
                    _("Ownership type"),
                    prof.get_ownership_type_display() if prof.ownership_type else "",
                ),
                (
                    _("Business start date"),
                    date_format(prof.business_start_date) if prof.business_start_date else "",
                ),
                (_("Years in business"), str(years) if years is not None else ""),
                (_("Number of employees"), str(prof.employee_count or "")),
            ],
        ),
        Section(
            _("5. Company contacts"),
            contact_rows or [(_("Contacts"), _("At least two are required"))],
            note=_("The primary point of contact must be a company officer."),
        ),
        Section(
            _("6. Business information"),
            _identifier_rows(snap) or [(_("Identifiers"), _("None entered yet"))],
        ),
        Section(
            _("Partner Agreement"),
            [
                (
                    a.officer_name,
                    _("affirmed on %(date)s")
                    % {"date": date_format(timezone.localdate(a.created_at))},
                )
                for a in affirmed
            ]
            or [(_("Status"), _("Not yet affirmed by a company officer"))],
            note=_("The company officer accepts the agreement in the CTPAT Portal personally."),
        ),
        Section(
            _("Still missing"),
            [(str(item.title), str(item.detail)) for item in missing]
            or [(_("Nothing"), _("Ready to enter."))],
        ),
    ]


def as_pdf(org: Organisation) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "eligibility/datasheet.html",
        {"org": org, "sections": sections(org), "generated": timezone.now()},
    )
    return bytes(HTML(string=printable(html)).write_pdf())


def as_xlsx(org: Organisation) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Portal data")[:31]
    sheet.append(xlsx_row([_("CTPAT Portal application data"), org.name]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(xlsx_row([_("Generated"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")]))
    for section in sections(org):
        sheet.append([])
        sheet.append(xlsx_row([section.title]))
        row = sheet.max_row
        sheet.cell(row=row, column=1).font = Font(bold=True, color="FFFFFF")
        sheet.cell(row=row, column=1).fill = PatternFill("solid", fgColor="0A4352")
        sheet.cell(row=row, column=2).fill = PatternFill("solid", fgColor="0A4352")
        for label, value in section.rows:
            sheet.append(xlsx_row([label, value or ""]))
        if section.note:
            sheet.append(xlsx_row([section.note]))
            sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 90
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
