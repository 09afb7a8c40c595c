"""The budget page and its spreadsheet and PDF, opened and read."""

import io

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.actions.test_selectors import costed


def test_the_budget_page_and_its_exports(cast, as_user):
    costed(cast)
    client = as_user(cast.viewer)
    html = client.get(reverse("actions:budget", args=[cast.acme.slug])).content.decode()
    assert "17600" in html
    assert "<svg" in html
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("actions:budget_xlsx", args=[cast.acme.slug])).content)
    ).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["First-year cost of certification"] == 17600
    assert values["Technology and infrastructure (one-off)"] == 12000
    pdf = PdfReader(
        io.BytesIO(client.get(reverse("actions:budget_pdf", args=[cast.acme.slug])).content)
    )
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "17600.00" in text
    assert "2026 Q2" in text
