"""The documented risk assessment (step 5) as PDF and DOCX, from the same view as the page."""

from __future__ import annotations

import io
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
from safelane.risk.mapimage import map_png
from safelane.risk.models import RiskAssessment

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

METHOD = gettext_lazy(
    "CBP's five-step risk assessment: 1 map the cargo flow and business partners; 2 rate the threats "
    "in each country; 3 rate the vulnerability of each point against the Minimum Security Criteria; "
    "4 rate risk as threat times vulnerability and plan actions; 5 document the process."
)


def as_pdf(org: Organisation, view: selectors.AssessmentView) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "risk/report_pdf.html",
        {**view_context(view), "org": org, "generated": timezone.now(), "method": METHOD},
    )
    return bytes(HTML(string=printable(html)).write_pdf())


def view_context(view: selectors.AssessmentView) -> dict[str, Any]:
    """The view's parts as template variables, for the page and the PDF alike."""
    return {**page_fields(view), "rated_legs": view.rated_legs, "unrated": view.unrated}


def as_docx(org: Organisation, view: selectors.AssessmentView) -> bytes:
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
    if view.map.points:
        # As wide as on screen (96 units an inch), never wider than the page's text.
        width = Inches(min(6.5, view.map.width / 96))
        doc.add_picture(io.BytesIO(map_png(view.map)), width=width)
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
    for vuln_row in view.vuln_rows:
        text = ", ".join(
            f"{names.get(i + 1, i + 1)}: {c.get_level_display() if c else '—'}"
            for i, c in enumerate(vuln_row.cells)
        )
        doc.add_paragraph(printable(f"{vuln_row.node.name}: {text}"))
    doc.add_heading(_("4. Risks and actions"), level=1)
    doc.add_paragraph(_("Heat map: risks by threat (rows) and vulnerability (columns)."))
    _heat_table(doc, view.heat)
    bands = {"high": _("high"), "medium": _("medium"), "low": _("low"), "unrated": _("not rated")}
    for risk in view.top_risks:
        doc.add_paragraph(
            printable(
                f"{risk.node.name} — {risk.category_name}: {risk.score} ({bands[risk.band]})"
            ),
            style="List Bullet",
        )
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


BAND_FILL = {"high": "B42318", "medium": "D69E2E", "low": "1F7A4D"}


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
            shading.set(qn("w:fill"), BAND_FILL[cell.band])
            target._tc.get_or_add_tcPr().append(shading)
            for run in target.paragraphs[0].runs:
                run.font.bold = True
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document(org: Organisation, assessment: RiskAssessment, fmt: str) -> tuple[str, bytes]:
    """The report as (content type, bytes)."""
    build = as_pdf if fmt == "pdf" else as_docx
    return TYPES[fmt], build(org, selectors.assessment_view(org, assessment))


def file_name(org: Organisation, assessment: RiskAssessment, fmt: str) -> str:
    return f"{org.slug}-risk-assessment-{assessment.year}.{fmt}"
