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
from tests.factories import NARRATIVE, answer, evidence, importer_cycle, next_cycle

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
        < text.index("Score by category")
        < text.index("Contents")
        < text.index("1. Security Vision")
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

    first = report_with_evidence(cast)
    second = next_cycle(cast, first)
    report = exports.build_report(cast.acme, second)
    pdf = PdfReader(io.BytesIO(exports.as_pdf(report)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Seal log 2026" in text
    doc = Document(io.BytesIO(exports.as_docx(report)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("Seal log 2026" in text for text in cells)


def ready_to_submit(cast):
    """Acme with its application data entered, an affirmed officer and a closed cycle with a
    Met answer, a gap, a boilerplate answer and evidence."""
    from safelane.assessments import services
    from safelane.eligibility import services as eligibility
    from tests.eligibility.test_eligibility import complete_importer

    complete_importer(cast)
    eligibility.affirm_agreement(
        org=cast.acme, actor=cast.owner, ip_address="127.0.0.1", user_agent="test"
    )
    cycle = report_with_evidence(cast)
    answer(cast, cycle, "6.5", Status.PARTIAL, narrative="Yes.")
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def pdf_pages(report):
    pdf = PdfReader(io.BytesIO(exports.as_pdf(report)))
    return [" ".join(page.extract_text().split()) for page in pdf.pages]


def test_the_pdf_profile_is_ready_to_submit(cast):
    cycle = ready_to_submit(cast)
    pages = pdf_pages(exports.build_report(cast.acme, cycle))
    first, summary, last = pages[0], pages[1], pages[-1]
    # The cover: the company's data from the application, the cycle and who closed it.
    for expected in ("CTPAT security profile", "Acme Imports", "36-412345600", "Olivia Owner"):
        assert expected in first, expected
    assert "Importer" in first
    assert "by Manuel Manager" in first
    # Every page but the cover carries the company and cycle; every page says x of y.
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        if number > 1:
            assert "Acme Imports · Initial 2026" in text
    # Score by category and the gap summary; the contents without doubled numbers.
    assert "Score by category" in summary
    assert "Musts not met:" in summary
    assert "4.8" in summary
    assert "1. 1." not in " ".join(pages)
    # The criteria: answer, status, evidence with version, date and fingerprint, owner.
    body = " ".join(pages[2:-1])
    assert NARRATIVE in body
    assert "Seal log 2026 · v1" in body
    assert "SHA-256" in body
    assert "Very short" in body  # the boilerplate answer is flagged, not printed silently
    # The sign-off page, with the affirmation on record.
    assert "Sign-off" in last
    assert "Olivia Owner" in last
    assert "Partner Agreement affirmed in Safelane by olivia@acme.test" in last


def test_the_profile_leaves_out_what_the_reader_asks(cast):
    cycle = ready_to_submit(cast)
    report = exports.build_report(
        cast.acme, cycle, exports.Options(skip_not_started=True, musts_only=True)
    )
    kept = {r.criterion_ident for r, _refs in report.rows()}
    assert kept <= {"6.2", "4.8", "6.5"}
    assert all(r.must_should == "must" for r, _refs in report.rows())
    assert "6.2" in kept
    # The scores still count every criterion: only the pages are shorter.
    assert report.scores.overall.must_total == 61


def test_a_met_answer_still_to_be_rewritten_prints_flagged(cast):
    from safelane.assessments.models import Response

    cycle = report_with_evidence(cast)
    # An answer stored Met before the rule (or by a script): it prints, flagged.
    Response.objects.for_org(cast.acme).filter(cycle=cycle, criterion_ident="1.1").update(
        status=Status.MET, narrative="Yes."
    )
    report = exports.build_report(cast.acme, cycle)
    text = " ".join(pdf_pages(report))
    assert "Met, not counted: to be rewritten" in text
    doc = Document(io.BytesIO(exports.as_docx(report)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Met, not counted: to be rewritten" in cells


def test_the_word_profile_has_running_headers_page_numbers_and_a_sign_off(cast):
    cycle = ready_to_submit(cast)
    doc = Document(io.BytesIO(exports.as_docx(exports.build_report(cast.acme, cycle))))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "Acme Imports · Initial 2026"
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml
    assert "NUMPAGES" in footer_xml
    assert section.footer.paragraphs[0].text.startswith("Page ")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Sign-off" in headings
    assert "Score by category" in headings
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "36-412345600" in cells
    assert "Olivia Owner" in cells
    # No table row is split across pages, no heading is left alone at a page's end.
    for table in doc.tables[:3]:
        for row in table.rows:
            assert row._tr.trPr is not None
            assert row._tr.trPr.xpath("./w:cantSplit")
    assert all(
        p.paragraph_format.keep_with_next for p in doc.paragraphs if p.style.name == "Heading 2"
    )
    # Criterion headings keep their dot: 10.10 never reads as a list number run together.
    assert any(h.startswith("6.2 · ") for h in headings)


def test_the_profile_reads_in_spanish_for_internal_use(cast):
    from django.utils import translation

    cycle = ready_to_submit(cast)
    with translation.override("es"):
        pages = pdf_pages(exports.build_report(cast.acme, cycle))
    assert "Perfil de seguridad CTPAT" in pages[0]
    assert f"Página 1 de {len(pages)}" in pages[0]
    # The company's own words are kept as they were written.
    assert NARRATIVE in " ".join(pages)
