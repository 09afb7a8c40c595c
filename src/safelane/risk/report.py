"""The documented risk assessment (step 5) as PDF and DOCX, from the same view as the page."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, RGBColor

from safelane.core.cells import printable
from safelane.core.pages import page_fields
from safelane.risk import selectors
from safelane.risk.mapimage import map_parts
from safelane.risk.models import Level, RiskAssessment

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

METHOD = gettext_lazy(
    "CBP's five-step risk assessment: 1 map the cargo flow and business partners; 2 rate the threats "
    "in each country; 3 rate the vulnerability of each point against the Minimum Security Criteria; "
    "4 rate risk as threat times vulnerability and plan actions; 5 document the process."
)


def as_pdf(
    org: Organisation, view: selectors.AssessmentView, rows: list[selectors.RiskRow]
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "risk/report_pdf.html",
        {
            **view_context(view),
            "org": org,
            "generated": timezone.now(),
            "method": METHOD,
            "risk_rows": rows,
            "reasons": reasons(view),
        },
    )
    return bytes(HTML(string=printable(html)).write_pdf())


@dataclass(frozen=True)
class Reason:
    point: str
    category: str
    level: str
    reason: str


def reasons(view: selectors.AssessmentView) -> list[Reason]:
    """Every vulnerability rating that gives its reason (the form asks for one whenever a
    rating differs from the suggestion), point by point."""
    names = view.category_names
    return [
        Reason(
            v.node.name,
            f"{v.category}. {names.get(v.category, '')}",
            str(v.get_level_display()),
            v.reason,
        )
        for row in view.vuln_rows
        for v in row.cells
        if v is not None and v.reason
    ]


def action_text(row: selectors.RiskRow) -> str:
    """The planned action as one line of a report: title, owner, due date and status."""
    action = row.action
    if action is None:
        return _("No action yet")
    parts = [action.title, action.get_status_display()]
    if action.owner:
        parts.append(str(action.owner))
    if action.due_date:
        parts.append(_("due %(date)s") % {"date": date_format(action.due_date)})
    return " · ".join(str(p) for p in parts)


def view_context(view: selectors.AssessmentView) -> dict[str, Any]:
    """The view's parts as template variables, for the page and the PDF alike."""
    return {**page_fields(view), "rated_legs": view.rated_legs, "unrated": view.unrated}


def as_docx(
    org: Organisation, view: selectors.AssessmentView, rows: list[selectors.RiskRow]
) -> bytes:
    assessment = view.assessment
    doc = Document()
    doc.add_heading(_("Supply chain security risk assessment"), level=0)
    doc.add_paragraph(printable(f"{org.name} · {assessment.title} · {assessment.year}"))
    doc.add_heading(_("Method"), level=1)
    doc.add_paragraph(str(METHOD))
    if assessment.method_note:
        doc.add_paragraph(printable(assessment.method_note))
    doc.add_heading(_("Participants"), level=1)
    doc.add_paragraph(printable(assessment.participants or "—"))
    doc.add_heading(_("1. Supply chain map"), level=1)
    for part in map_parts(view.map):
        if part.of > 1:
            doc.add_paragraph(
                _("Map, part %(number)s of %(of)s") % {"number": part.number, "of": part.of}
            )
        # As wide as on screen (96 units an inch), never wider than the page's text.
        doc.add_picture(io.BytesIO(part.png), width=Inches(min(6.5, part.width / 96)))
    table = doc.add_table(rows=1, cols=6)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells,
        [_("Flow"), _("From"), _("To"), _("Mode"), _("Custody"), _("Where cargo rests")],
        strict=True,
    ):
        cell.text = str(text)
    for leg in view.legs:
        cells = table.add_row().cells
        values = [
            leg.flow,
            f"{leg.origin.name} ({leg.origin.country.code})",
            f"{leg.destination.name} ({leg.destination.country.code})",
            leg.get_mode_display(),
            leg.custodian,
            leg.rests,
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = printable(str(text))
    doc.add_heading(_("2. Threat assessment"), level=1)
    for row in view.threat_rows:
        rated = ", ".join(
            f"{cell.label}: {cell.own.get_level_display() if cell.own else '—'}"
            for cell in row.cells
        )
        doc.add_paragraph(f"{row.country.name}: {rated}")
        if row.sources:
            doc.add_paragraph(printable(_("Sources: %(sources)s") % {"sources": row.sources}))
        if row.rated_on:
            doc.add_paragraph(_("Rated on %(date)s") % {"date": date_format(row.rated_on)})
    if view.rated_legs:
        doc.add_heading(_("Legs rated apart from their countries"), level=2)
        for leg_row in view.rated_legs:
            rated = "; ".join(f"{label}: {level}" for label, level in leg_row.rated)
            leg = leg_row.leg
            doc.add_paragraph(printable(f"{leg.flow}: {leg}. {rated}"), style="List Bullet")
    doc.add_heading(_("3. Vulnerability assessment"), level=1)
    names = view.category_names
    # Each level's name once (a label per cell through get_level_display costs a translation
    # lookup of every choice: 60 points x 12 categories was a fifth of a second).
    level_names = {value: str(label) for value, label in Level.choices}
    for vuln_row in view.vuln_rows:
        text = ", ".join(
            f"{names.get(i + 1, i + 1)}: {level_names.get(c.level, '—') if c else '—'}"
            for i, c in enumerate(vuln_row.cells)
        )
        doc.add_paragraph(printable(f"{vuln_row.node.name}: {text}"))
    given = reasons(view)
    if given:
        doc.add_heading(_("Reasons for the ratings"), level=2)
        for r in given:
            doc.add_paragraph(
                printable(f"{r.point}, {r.category}: {r.level}. {r.reason}"), style="List Bullet"
            )
    doc.add_heading(_("4. Risks and actions"), level=1)
    doc.add_paragraph(_("Heat map: risks by threat (rows) and vulnerability (columns)."))
    _heat_table(doc, view.heat)
    bands = {"high": _("High"), "medium": _("Medium"), "low": _("Low"), "unrated": _("Not rated")}
    doc.add_paragraph(
        _("Every medium and high risk (%(count)s), highest first.") % {"count": len(rows)}
    )
    if rows:
        table = doc.add_table(rows=1, cols=5)
        table.style = "Light Grid Accent 1"
        headers = [_("Point"), _("Category"), _("Score"), _("Reason"), _("Action")]
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(text)
        for risk_row in rows:
            risk = risk_row.risk
            values = [
                risk.node.name,
                risk.category_name,
                f"{risk.score} ({bands[risk.band]})",
                risk.rating.reason or _("Suggested level kept"),
                action_text(risk_row),
            ]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = printable(str(text))
    else:
        doc.add_paragraph(_("No medium or high risks."))
    doc.add_heading(_("5. Documentation"), level=1)
    doc.add_paragraph(
        _("Finalised: %(when)s")
        % {
            "when": date_format(timezone.localdate(assessment.finalised_at))
            if assessment.finalised_at
            else "—"
        }
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _heat_table(doc: Any, heat: list[list[Any]]) -> None:
    """The heat map as a Word table: a row per threat level, a column per vulnerability level,
    each cell shaded in its band's colour like the chart on the page and in the PDF."""
    levels = [_("Low"), _("Medium"), _("High")]
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    table.cell(0, 0).text = f"{_('Threat')} / {_('Vulnerability')}"
    for column, label in enumerate(levels, start=1):
        table.cell(0, column).text = str(label)
    for row_number, row in enumerate(heat, start=1):
        table.cell(row_number, 0).text = str(levels[3 - row_number])
        for column, cell in enumerate(row, start=1):
            target = table.cell(row_number, column)
            target.text = str(cell.count)
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:fill"), cell.colour.removeprefix("#").upper())
            target._tc.get_or_add_tcPr().append(shading)
            for run in target.paragraphs[0].runs:
                run.font.bold = True
                run.font.color.rgb = RGBColor.from_string(cell.text_colour.removeprefix("#"))


TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document(org: Organisation, assessment: RiskAssessment, fmt: str) -> tuple[str, bytes]:
    """The report as (content type, bytes)."""
    build = as_pdf if fmt == "pdf" else as_docx
    view = selectors.assessment_view(org, assessment)
    return TYPES[fmt], build(org, view, selectors.risk_rows(org, view))


def file_name(org: Organisation, assessment: RiskAssessment, fmt: str) -> str:
    return f"{org.slug}-risk-assessment-{assessment.year}.{fmt}"
