"""The security profile of a cycle as DOCX (editable), PDF, an XLSX gap register and OSCAL
assessment results. All four are built from one Report so they say the same thing."""

from __future__ import annotations

import datetime
import io
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from safelane.assessments import charts, selectors
from safelane.assessments.models import AssessmentCycle, Response, Status
from safelane.core.cells import printable, xlsx_row

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

OSCAL_VERSION = "1.2.3"
UUID_NS = uuid.UUID("0b9d9a3e-5c47-4f3e-8f6b-3a0c0f6a7e21")


@dataclass(frozen=True)
class EvidenceRef:
    title: str
    version: int | None
    file: str
    sha256: str


@dataclass(frozen=True)
class Section:
    title: str
    responses: list[tuple[Response, list[EvidenceRef]]]


@dataclass(frozen=True)
class Report:
    org: Organisation
    cycle: AssessmentCycle
    sections: list[Section]
    scores: selectors.Scores
    chart: charts.Chart
    generated: datetime.datetime

    def status_label(self, response: Response) -> str:
        return str(dict(Status.choices)[response.status])


def _refs(response: Response) -> list[EvidenceRef]:
    refs = []
    for link in response.evidence_links.all():
        versions = list(link.evidence.versions.all())
        latest = versions[0] if versions else None
        refs.append(
            EvidenceRef(
                link.evidence.title,
                latest.number if latest else None,
                latest.original_name if latest else "",
                latest.sha256 if latest else "",
            )
        )
    return refs


def build_report(org: Organisation, cycle: AssessmentCycle) -> Report:
    rows = list(selectors.responses(org, cycle))
    names = selectors.category_names(cycle)
    score = selectors.scores(rows, names)
    sections: dict[Any, Section] = {}
    for r in rows:
        key = r.category or 0
        title = f"{r.category}. {names.get(r.category, '')}" if r.category else _("Own criteria")
        sections.setdefault(key, Section(title, []))
        sections[key].responses.append((r, _refs(r)))
    ordered = [sections[k] for k in sorted(sections, key=lambda k: (k == 0, k))]
    return Report(
        org, cycle, ordered, score, charts.progress_chart(score.categories), timezone.now()
    )


def _ms(response: Response) -> str:
    return {"must": _("Must"), "should": _("Should")}.get(response.must_should, _("Not confirmed"))


def _ident(response: Response) -> str:
    return response.criterion_ident.removeprefix("own:")


def as_docx(report: Report) -> bytes:
    doc = Document()
    doc.core_properties.title = printable(f"{report.org.name} — {report.cycle.title}")
    doc.add_heading(_("CTPAT security profile"), level=0)
    doc.add_paragraph(printable(report.org.name)).runs[0].bold = True
    doc.add_paragraph(printable(f"{report.cycle.title} · {report.generated:%Y-%m-%d}"))
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
    doc.add_heading(_("Contents"), level=1)
    for section in report.sections:
        doc.add_paragraph(printable(section.title))
    for section in report.sections:
        doc.add_page_break()
        doc.add_heading(printable(section.title), level=1)
        for response, refs in section.responses:
            doc.add_heading(printable(f"{_ident(response)} — {_ms(response)}"), level=2)
            doc.add_paragraph().add_run(printable(response.requirement)).italic = True
            table = doc.add_table(rows=0, cols=2)
            table.style = "Light Grid Accent 1"
            for label, value in (
                (_("Must/Should"), _ms(response)),
                (_("Status"), report.status_label(response)),
                (_("How we meet it"), response.narrative or "—"),
                (_("Why it does not apply"), response.justification)
                if response.status == Status.NOT_APPLICABLE
                else (None, None),
            ):
                if label is None:
                    continue
                cells = table.add_row().cells
                cells[0].text, cells[1].text = str(label), printable(str(value))
            if refs:
                doc.add_paragraph(_("Evidence"), style="Intense Quote")
                for ref in refs:
                    doc.add_paragraph(
                        printable(
                            f"{ref.title} (v{ref.version}, {ref.file}, SHA-256 {ref.sha256[:16]}…)"
                        ),
                        style="List Bullet",
                    )
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            run.font.size = run.font.size or Pt(10)
            if paragraph.style is not None and str(paragraph.style.name).startswith("Heading"):
                run.font.color.rgb = RGBColor(0x0A, 0x43, 0x52)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def as_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "assessments/profile_pdf.html", {"report": report, "chart": report.chart}
    )
    return bytes(HTML(string=printable(html)).write_pdf())


def as_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Gap register")[:31]
    header = [
        _("ID"),
        _("Category"),
        _("Must/Should"),
        _("Status"),
        _("Requirement"),
        _("How we meet it"),
        _("Owner"),
        _("Due date"),
        _("Evidence"),
    ]
    sheet.append(xlsx_row(header))
    rows = [(r, refs) for s in report.sections for r, refs in s.responses]
    gaps = {r.pk for r in selectors.gaps([r for r, _refs in rows])}
    ordered = sorted(
        (p for p in rows if p[0].pk in gaps),
        key=lambda p: (p[0].must_should != "must", p[0].position),
    )
    for response, refs in ordered:
        sheet.append(
            xlsx_row(
                [
                    _ident(response),
                    response.category or "",
                    _ms(response),
                    report.status_label(response),
                    response.requirement,
                    response.narrative,
                    str(response.owner or ""),
                    response.due_date.isoformat() if response.due_date else "",
                    len(refs),
                ]
            )
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0A4352")
    for index, width in enumerate([8, 10, 12, 14, 60, 60, 24, 12, 10], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    summary = book.create_sheet(_("Scores")[:31])
    summary.append(
        xlsx_row(
            [
                _("Category"),
                _("Musts met"),
                _("Musts"),
                _("Shoulds met"),
                _("Shoulds"),
                _("Score %"),
            ]
        )
    )
    for tally in [*report.scores.categories, report.scores.overall]:
        summary.append(
            xlsx_row(
                [
                    str(tally.label),
                    tally.must_met,
                    tally.must_total,
                    tally.should_met,
                    tally.should_total,
                    tally.score,
                ]
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _uuid(*parts: Any) -> str:
    return str(uuid.uuid5(UUID_NS, "/".join(map(str, parts))))


def as_oscal(report: Report) -> dict[str, Any]:
    """OSCAL assessment results: one result for the cycle, one finding and one observation per
    answered criterion of the MSC (own criteria are outside the MSC catalog)."""
    cycle = report.cycle
    stamp = report.generated.astimezone(datetime.UTC).isoformat(timespec="seconds")
    observations, findings, control_ids = [], [], []
    for section in report.sections:
        for response, refs in section.responses:
            if response.own_criterion_id:
                continue
            control = f"msc-{response.criterion_ident}"
            control_ids.append({"control-id": control})
            if response.status == Status.NOT_STARTED:
                continue
            observation_id = _uuid("observation", cycle.pk, response.pk)
            observation: dict[str, Any] = {
                "uuid": observation_id,
                "title": f"{response.criterion_ident}",
                "description": response.narrative
                or response.justification
                or report.status_label(response),
                "methods": ["EXAMINE"],
                "collected": stamp,
            }
            if refs:
                observation["relevant-evidence"] = [
                    {"description": f"{ref.title} v{ref.version} {ref.file} sha256:{ref.sha256}"}
                    for ref in refs
                ]
            observations.append(observation)
            findings.append(
                {
                    "uuid": _uuid("finding", cycle.pk, response.pk),
                    "title": f"{response.criterion_ident} {report.status_label(response)}",
                    "description": report.status_label(response),
                    "props": [
                        {
                            "name": "must-should",
                            "ns": "urn:safelane:msc",
                            "value": response.must_should or "unknown",
                        },
                        {"name": "status", "ns": "urn:safelane:msc", "value": response.status},
                    ],
                    "target": {
                        "type": "statement-id",
                        "target-id": f"{control}_smt",
                        "status": {
                            "state": "satisfied"
                            if response.status in {Status.MET, Status.NOT_APPLICABLE}
                            else "not-satisfied"
                        },
                    },
                    "related-observations": [{"observation-uuid": observation_id}],
                }
            )
    result: dict[str, Any] = {
        "uuid": _uuid("result", cycle.pk, stamp),
        "title": cycle.title,
        "description": f"{report.org.name}: {cycle.get_kind_display()}",
        "start": cycle.created_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "reviewed-controls": {
            "control-selections": [
                {"include-controls": control_ids} if control_ids else {"include-all": {}}
            ]
        },
    }
    if observations:
        result["observations"] = observations
        result["findings"] = findings
    return {
        "assessment-results": {
            "uuid": _uuid("assessment-results", cycle.pk, stamp),
            "metadata": {
                "title": f"{report.org.name} — {cycle.title}",
                "last-modified": stamp,
                "version": str(cycle.version),
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": {"href": f"safelane-msc-{cycle.catalog_version.label}-catalog.json"},
            "results": [result],
        }
    }


def as_oscal_bytes(report: Report) -> bytes:
    return json.dumps(as_oscal(report), indent=2, ensure_ascii=False).encode()
