"""The security profile of a cycle as DOCX (editable), PDF, an XLSX gap register and OSCAL
assessment results. All four are built from one Report so they say the same thing."""

from __future__ import annotations

import datetime
import io
import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from safelane.assessments import charts, cover, profile_docx, selectors
from safelane.assessments.models import AssessmentCycle, Response, Status
from safelane.catalog import selectors as catalog
from safelane.core import trail
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
    uploaded: datetime.date | None = None

    @property
    def text(self) -> str:
        """How the profile names it: title, version, date, file, SHA-256 short form."""
        when = date_format(self.uploaded) if self.uploaded else ""
        sha = f"SHA-256 {self.sha256[:12]}…" if self.sha256 else ""
        parts = [self.title, f"v{self.version}" if self.version else "", when, self.file, sha]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Section:
    number: int | None  # the MSC category; None for own criteria outside the twelve
    name: str
    responses: list[tuple[Response, list[EvidenceRef]]]

    @property
    def title(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


@dataclass(frozen=True)
class Options:
    """What the person asked the profile to leave out."""

    skip_not_started: bool = False
    musts_only: bool = False

    def keeps(self, response: Response) -> bool:
        if self.skip_not_started and response.status == Status.NOT_STARTED:
            return False
        return not (self.musts_only and response.must_should != "must")


@dataclass(frozen=True)
class Closing:
    """Who closed the cycle, when, and how many answers a manager signed off."""

    on: datetime.date | None
    by: str
    signed: int
    answers: int


@dataclass(frozen=True)
class Report:
    org: Organisation
    cycle: AssessmentCycle
    sections: list[Section]
    scores: selectors.Scores
    chart: charts.Chart
    generated: datetime.datetime
    facts: cover.CompanyFacts = field(default_factory=cover.CompanyFacts)
    options: Options = field(default_factory=Options)
    flags: dict[int, list[Any]] = field(default_factory=dict)
    gaps: list[Response] = field(default_factory=list)
    closing: Closing | None = None
    requirements: dict[str, str] = field(default_factory=dict)  # in the reader's language

    def status_label(self, response: Response) -> str:
        label = str(dict(Status.choices)[response.status])
        if response.status == Status.MET and self.flags.get(response.pk):
            return _("%(status)s, not counted: to be rewritten") % {"status": label}
        return label

    def requirement(self, response: Response) -> str:
        return self.requirements.get(response.criterion_ident) or response.requirement

    @property
    def must_gaps(self) -> list[Response]:
        return [r for r in self.gaps if r.must_should == "must"]

    @property
    def rewrite(self) -> int:
        return sum(1 for r, _refs in self.rows() if self.flags.get(r.pk))

    def rows(self) -> list[tuple[Response, list[EvidenceRef]]]:
        return [pair for section in self.sections for pair in section.responses]

    @property
    def page_label(self) -> str:
        """The running footer's "Page x of y" as a CSS content value."""
        before, middle, after = profile_docx.page_of_parts()
        return " ".join(
            [css_string(before), "counter(page)", css_string(middle), "counter(pages)"]
            + ([css_string(after)] if after else [])
        )

    @property
    def running_head(self) -> str:
        return css_string(f"{self.org.name} · {self.cycle.title}")


def css_string(text: str) -> str:
    """Text as a quoted CSS string (the PDF's running header and footer)."""
    return '"' + printable(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


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
                timezone.localdate(latest.created_at) if latest else None,
            )
        )
    return refs


def _closing(org: Organisation, cycle: AssessmentCycle, rows: list[Response]) -> Closing:
    by = ""
    if cycle.closed_at is not None:
        entry = next(
            (
                e
                for e in trail.object_history(org, cycle, limit=20)
                if "closed_at" in (e.changes or {}) and e.changes["closed_at"][0] is None
            ),
            None,
        )
        by = str(entry.actor or "") if entry is not None else ""
    return Closing(
        timezone.localdate(cycle.closed_at) if cycle.closed_at else None,
        by,
        sum(1 for r in rows if r.reviewed_at is not None),
        len(rows),
    )


def build_report(
    org: Organisation, cycle: AssessmentCycle, options: Options | None = None
) -> Report:
    options = options or Options()
    rows = list(selectors.responses(org, cycle))
    names = selectors.category_names(cycle)
    found = selectors.warnings(rows)
    score = selectors.scores(rows, names, found)
    sections: dict[Any, Section] = {}
    for r in rows:
        if not options.keeps(r):
            continue
        key = r.category or 0
        name = names.get(r.category, "") if r.category else _("Own criteria")
        sections.setdefault(key, Section(r.category, name, []))
        sections[key].responses.append((r, _refs(r)))
    ordered = [sections[k] for k in sorted(sections, key=lambda k: (k == 0, k))]
    report = Report(
        org,
        cycle,
        ordered,
        score,
        charts.progress_chart(score.categories),
        timezone.now(),
        facts=cover.company_facts(org),
        options=options,
        flags=found,
        gaps=selectors.gaps(rows, found),
        closing=_closing(org, cycle, rows),
        requirements=catalog.spanish_requirements(cycle.catalog_version),
    )
    for r in rows:
        # What the PDF's template prints, which it cannot ask the report for by itself.
        r.requirement_text = report.requirement(r)  # type: ignore[attr-defined]
        r.status_text = report.status_label(r)  # type: ignore[attr-defined]
        r.flag_list = report.flags.get(r.pk, [])  # type: ignore[attr-defined]
    return report


def _ms(response: Response) -> str:
    return {"must": _("Must"), "should": _("Should")}.get(response.must_should, _("Not confirmed"))


def _ident(response: Response) -> str:
    return response.criterion_ident.removeprefix("own:")


def as_docx(report: Report) -> bytes:
    return profile_docx.build(report)


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
    gaps = {r.pk for r in report.gaps}  # over every answer, so a copied text is seen whole
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
                    date_format(response.due_date) if response.due_date else "",
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
                            if selectors.counted_status(response, report.flags)
                            in {Status.MET, Status.NOT_APPLICABLE}
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
