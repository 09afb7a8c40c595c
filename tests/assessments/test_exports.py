"""The security profile as Word, PDF, the gap register and OSCAL: opened and read."""

import io
import json
from pathlib import Path

import jsonschema_rs
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from safelane.assessments import exports
from safelane.assessments.models import Status
from tests.factories import NARRATIVE, answer, evidence, importer_cycle

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "oscal"


def report_with_evidence(cast):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    answer(
        cast,
        cycle,
        "4.8",
        Status.NOT_MET,
        narrative="Shared warehouse login; MFA planned for March.",
    )
    evidence(cast, "Seal log 2026", subject=r)
    return cycle


def test_the_word_profile_holds_what_was_entered(cast):
    cycle = report_with_evidence(cast)
    doc = Document(io.BytesIO(exports.as_docx(exports.build_report(cast.acme, cycle))))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "CTPAT security profile" in text
    assert NARRATIVE in text
    assert "Seal log 2026" in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "6. Seal Security" in headings


def test_the_pdf_profile_has_cover_contents_sections_and_chart(cast):
    cycle = report_with_evidence(cast)
    pdf = PdfReader(io.BytesIO(exports.as_pdf(exports.build_report(cast.acme, cycle))))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert (
        text.index("CTPAT security profile")
        < text.index("Contents")
        < text.index("Progress by category")
    )
    assert "Seal log 2026" in text
    assert "Shared warehouse login" in text
    assert len(pdf.pages) > 10


def test_the_gap_register_lists_musts_first(cast):
    cycle = report_with_evidence(cast)
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(exports.build_report(cast.acme, cycle))))[
        "Gap register"
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][2] == "Must"
    assert "6.2" not in [r[0] for r in rows]
    assert {r[2] for r in rows[-5:]} == {"Should"}


def test_the_oscal_results_are_valid_oscal(cast):
    cycle = report_with_evidence(cast)
    document = exports.as_oscal(exports.build_report(cast.acme, cycle))
    schema = json.loads((SCHEMAS / "oscal_assessment-results_schema.json").read_text())
    assert [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(document)] == []
    findings = document["assessment-results"]["results"][0]["findings"]
    states = {f["target"]["target-id"]: f["target"]["status"]["state"] for f in findings}
    assert states == {"msc-4.8_smt": "not-satisfied", "msc-6.2_smt": "satisfied"}


def test_a_cycle_from_last_year_prints_the_carried_evidence(cast):
    from safelane.assessments import services

    first = report_with_evidence(cast)
    second = services.start_cycle(
        org=cast.acme, actor=cast.owner, kind="annual", title="Review 2027", from_cycle=first
    )
    report = exports.build_report(cast.acme, second)
    pdf = PdfReader(io.BytesIO(exports.as_pdf(report)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Seal log 2026" in text
    doc = Document(io.BytesIO(exports.as_docx(report)))
    assert any("Seal log 2026" in p.text for p in doc.paragraphs)
