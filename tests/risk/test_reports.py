"""The documented assessment as PDF and Word, opened and read, and built in the background."""

import io

from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from safelane.jobs.models import Job
from tests.risk.builders import document, scored


def test_the_report_records_the_method_map_ratings_and_risks(cast, as_user):
    a, _nodes = scored(cast)
    document(cast, a, participants="Olivia Ortega (COO)")
    client = as_user(cast.viewer)
    pdf = PdfReader(
        io.BytesIO(client.get(reverse("risk:report_pdf", args=[cast.acme.slug, a.pk])).content)
    )
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "five-step",
        "Olivia Ortega (COO)",
        "Supply chain map",
        "Monterrey plant",
        "Port of Los Angeles",
        "Heat map",
        "State Dept. advisory",
    ):
        assert expected in text, expected
    doc = Document(
        io.BytesIO(client.get(reverse("risk:report_docx", args=[cast.acme.slug, a.pk])).content)
    )
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Monterrey plant (MX)" in body
    assert "Olivia Ortega (COO)" in body
    # The map is in the Word file as a picture: four columns of points, drawn on white.
    [shape] = doc.inline_shapes
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    picture = Image.open(io.BytesIO(doc.part.related_parts[blip].blob))
    assert picture.format == "PNG"
    assert picture.width > 2 * picture.height
    colours = {colour for _count, colour in picture.getcolors(maxcolors=100_000)}
    assert (255, 255, 255) in colours
    assert len(colours) > 10


def test_the_report_is_built_in_the_background_in_the_readers_language(cast, as_user, committed):
    a, _nodes = scored(cast)
    client = as_user(cast.viewer)  # an auditor may produce the report
    client.post(reverse("set_language"), {"language": "es"})
    with committed():
        response = client.post(reverse("risk:report_docx", args=[cast.acme.slug, a.pk]))
    job = Job.objects.for_org(cast.acme).get()
    assert response["Location"] == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    assert (job.status, job.result_name) == ("done", "acme-imports-risk-assessment-2025.docx")
    download = client.get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Participantes" in headings


def test_the_report_lists_every_medium_and_high_risk_with_its_reason_and_action(cast, as_user):
    from safelane.risk import selectors, services
    from safelane.risk.models import Level, Vulnerability

    a, nodes = scored(cast)
    # A second Mexican point doubles the risks, past the 15 that the report once showed.
    services.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        values={"name": "Tijuana cross-dock", "kind": "warehouse", "country": "MX"},
    )
    services.refresh_vulnerabilities(
        org=cast.acme,
        assessment=a,
        suggestions=selectors.suggested_levels(cast.acme, selectors.nodes(cast.acme, a)),
    )
    seals = Vulnerability.objects.for_org(cast.acme).get(node=nodes["mx"], category=6)
    services.save_vulnerabilities(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        changes={seals.pk: (Level.HIGH, "Seals kept in an unlocked drawer", seals.version)},
    )
    treated = Vulnerability.objects.for_org(cast.acme).get(node=nodes["mx"], category=6)
    action, _new = services.action_from_risk(org=cast.acme, actor=cast.owner, rating=treated)
    view = selectors.assessment_view(cast.acme, a)
    counted = sum(c.count for row in view.heat for c in row if c.band in {"medium", "high"})
    assert counted > 15
    client = as_user(cast.viewer)
    doc = Document(
        io.BytesIO(client.get(reverse("risk:report_docx", args=[cast.acme.slug, a.pk])).content)
    )
    [risk_table] = [t for t in doc.tables if t.rows[0].cells[-1].text == "Action"]
    rows = [[c.text for c in row.cells] for row in risk_table.rows[1:]]
    assert len(rows) == counted
    seal_row = next(r for r in rows if r[0] == "Monterrey plant" and r[1].startswith("Seal"))
    assert seal_row[3] == "Seals kept in an unlocked drawer"
    assert seal_row[4].startswith(action.title)
    assert sum(1 for r in rows if r[4] == "No action yet") == counted - 1
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Reasons for the ratings" in body
    assert "Seals kept in an unlocked drawer" in body
    pdf = PdfReader(
        io.BytesIO(client.get(reverse("risk:report_pdf", args=[cast.acme.slug, a.pk])).content)
    )
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert f"Every medium and high risk ({counted})" in text
    assert text.count("No action yet") == counted - 1
    assert "Seals kept in an unlocked drawer" in text
    assert action.title in text


def test_the_heat_map_has_one_palette_on_the_page_in_the_pdf_and_in_word(cast, as_user):
    import re

    from safelane.risk import selectors

    a, _nodes = scored(cast)
    view = selectors.assessment_view(cast.acme, a)
    expected = [c.colour for row in view.heat for c in row]
    client = as_user(cast.viewer)
    page = client.get(reverse("risk:detail", args=[cast.acme.slug, a.pk])).content.decode()
    heat_svg = page[page.index('aria-label="Heat map"') :]
    assert re.findall(r'fill="(#[0-9a-f]{6})"/>', heat_svg)[:9] == expected
    doc = Document(
        io.BytesIO(client.get(reverse("risk:report_docx", args=[cast.acme.slug, a.pk])).content)
    )
    heat = next(t for t in doc.tables if t.cell(0, 0).text.startswith("Threat"))
    fills = [
        heat.cell(r, c)
        ._tc.tcPr.xpath("./w:shd")[0]
        .get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
        for r in (1, 2, 3)
        for c in (1, 2, 3)
    ]
    assert ["#" + f.lower() for f in fills] == expected
    assert len(set(expected)) > 3  # empty cells are pale, counted ones full
