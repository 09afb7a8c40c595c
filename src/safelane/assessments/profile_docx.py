"""The security profile as a Word document: the same Report, sections and words as the PDF
(`profile_pdf.html`), with running headers and footers (company, cycle, page x of y), rows and
headings kept with what follows them."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from safelane.assessments import charts
from safelane.assessments.models import Status
from safelane.core.cells import printable

if TYPE_CHECKING:
    from safelane.assessments.exports import Report

BRAND = RGBColor(0x0A, 0x43, 0x52)


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in as it lays out the pages."""

    def run_with(tag: str, **attrs: str) -> Any:
        run = paragraph.add_run()
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(name), value)
        run._r.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    instruction = run_with("w:instrText", **{"xml:space": "preserve"})
    instruction.text = f" {code} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")  # shown until Word updates the field
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def page_of_parts() -> tuple[str, str, str]:
    """ "Page %(page)s of %(pages)s" in the reader's language, split around its two numbers
    (the PDF's footer and Word's fields fill them in)."""
    text = _("Page %(page)s of %(pages)s")
    before, rest = text.split("%(page)s", 1)
    middle, after = rest.split("%(pages)s", 1)
    return before, middle, after


def _page_x_of_y(paragraph: Any) -> None:
    before, middle, after = page_of_parts()
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    if after:
        paragraph.add_run(after)


def _keep(paragraph: Any) -> Any:
    """Keep a heading or a label on the page of what follows it."""
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _widths(table: Any, widths: tuple[float, float]) -> None:
    """Fixed column widths, which Word and LibreOffice both honour (the grid and each cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Inches(width)


def _table(doc: Any, rows: list[tuple[str, str]], widths: tuple[float, float] = (1.8, 4.7)) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    _widths(table, widths)
    for label, value in rows:
        row = table.add_row()
        # A row is never split across two pages.
        no_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(no_split)
        cells = row.cells
        cells[0].text, cells[1].text = printable(str(label)), printable(str(value or "—"))
        cells[0].width, cells[1].width = Inches(widths[0]), Inches(widths[1])
        for paragraph in cells[0].paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(0x4A, 0x5A, 0x6A)


def _cover(doc: Any, report: Report) -> None:
    cycle = report.cycle
    doc.add_heading(_("CTPAT security profile"), level=0)
    lead = doc.add_paragraph()
    lead.add_run(printable(report.org.name)).bold = True
    doc.add_paragraph(printable(f"{cycle.title} · {cycle.get_kind_display()}"))
    dates = [
        (_("Started"), date_format(cycle.created_at.date())),
        (_("Due"), date_format(cycle.due_date) if cycle.due_date else "—"),
        (
            _("Closed"),
            date_format(report.closing.on) if report.closing and report.closing.on else _("Open"),
        ),
        (_("Printed"), date_format(report.generated.date())),
    ]
    if report.closing and report.closing.by:
        dates.append((_("Closed by"), report.closing.by))
    if report.closing:
        dates.append(
            (
                _("Answers signed off"),
                _("%(signed)s of %(total)s")
                % {"signed": report.closing.signed, "total": report.closing.answers},
            )
        )
    _table(doc, dates)
    if not report.facts.sections:
        doc.add_paragraph(_("The company's application data is not entered yet."))
    for section in report.facts.sections:
        _keep(doc.add_heading(printable(section.title), level=2))
        _table(doc, section.rows or [(_("Not entered yet"), "")])


def _summary(doc: Any, report: Report) -> None:
    doc.add_page_break()
    doc.add_heading(_("Score by category"), level=1)
    overall = report.scores.overall
    doc.add_paragraph(
        _("Musts met %(met)s/%(total)s · Shoulds met %(smet)s/%(stotal)s")
        % {
            "met": overall.must_met,
            "total": overall.must_total,
            "smet": overall.should_met,
            "stotal": overall.should_total,
        }
    )
    doc.add_picture(io.BytesIO(charts.chart_png(report.chart)), width=Inches(6.5))
    _keep(doc.add_heading(_("Gap summary"), level=2))
    gaps = report.gaps
    doc.add_paragraph(
        _("%(gaps)s criteria not yet met, %(musts)s of them Musts; %(rewrite)s answers to rewrite.")
        % {"gaps": len(gaps), "musts": len(report.must_gaps), "rewrite": report.rewrite}
    )
    if report.must_gaps:
        shown = report.must_gaps[:40]
        more = len(report.must_gaps) - len(shown)
        text = ", ".join(r.criterion_ident.removeprefix("own:") for r in shown)
        if more:
            text += " " + _("and %(n)s more") % {"n": more}
        doc.add_paragraph(printable(_("Musts not met: %(ids)s") % {"ids": text}))
    _keep(doc.add_heading(_("Contents"), level=2))
    contents = doc.add_table(rows=0, cols=2)
    contents.style = "Table Grid"
    _widths(contents, (0.6, 5.9))
    for section in report.sections:
        cells = contents.add_row().cells
        cells[0].text = str(section.number or "")
        cells[1].text = printable(section.name)
        cells[0].width, cells[1].width = Inches(0.6), Inches(5.9)


def _criteria(doc: Any, report: Report) -> None:
    for section in report.sections:
        doc.add_page_break()
        doc.add_heading(printable(section.title), level=1)
        for response, refs in section.responses:
            ident = response.criterion_ident.removeprefix("own:")
            must = {"must": _("Must"), "should": _("Should")}.get(
                response.must_should, _("Not confirmed")
            )
            _keep(doc.add_heading(printable(f"{ident} · {must}"), level=2))
            requirement = _keep(doc.add_paragraph())
            requirement.add_run(printable(report.requirement(response))).italic = True
            rows = [
                (_("Status"), report.status_label(response)),
                (_("How we meet it"), response.narrative or "—"),
            ]
            flags = report.flags.get(response.pk)
            if flags:
                rows.append((_("To rewrite"), " ".join(str(f) for f in flags)))
            if response.status == Status.NOT_APPLICABLE:
                rows.append((_("Why it does not apply"), response.justification))
            rows.append((_("Owner"), str(response.owner or "—")))
            rows.append(
                (
                    _("Evidence"),
                    "\n".join(ref.text for ref in refs) if refs else _("None linked"),
                )
            )
            _table(doc, rows)


def _sign_off(doc: Any, report: Report) -> None:
    doc.add_page_break()
    doc.add_heading(_("Sign-off"), level=1)
    doc.add_paragraph(
        _(
            "I have reviewed this security profile and affirm that it describes the security "
            "practices of %(org)s as they are."
        )
        % {"org": printable(report.org.name)}
    )
    officer = report.facts.officer
    rows = [
        (_("Company officer"), officer.name if officer else ""),
        (_("Title"), officer.title if officer else ""),
        (_("Date"), date_format(officer.affirmed_on) if officer and officer.affirmed_on else ""),
        (_("Signature"), ""),
    ]
    _table(doc, rows)
    if officer and officer.record:
        doc.add_paragraph(printable(officer.record))
    elif officer is None:
        doc.add_paragraph(_("No company officer is named yet (Eligibility, contacts)."))


def build(report: Report) -> bytes:
    doc = Document()
    doc.core_properties.title = printable(f"{report.org.name} — {report.cycle.title}")
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9.5)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = printable(f"{report.org.name} · {report.cycle.title}")
    _page_x_of_y(section.footer.paragraphs[0])
    _cover(doc, report)
    _summary(doc, report)
    _criteria(doc, report)
    _sign_off(doc, report)
    for paragraph in doc.paragraphs:
        if paragraph.style is not None and str(paragraph.style.name).startswith(
            ("Heading", "Title")
        ):
            for run in paragraph.runs:
                run.font.color.rgb = BRAND
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
