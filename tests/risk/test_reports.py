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
