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
    assert "$17,600.00" in html
    assert "<svg" in html
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("actions:budget_xlsx", args=[cast.acme.slug])).content)
    ).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["First-year cost of certification"] == 17600
    assert values["Technology and infrastructure (one-off)"] == 12000
    amounts = [c for row in sheet.iter_rows(min_col=2, max_col=2) for c in row if c.value]
    assert {c.number_format for c in amounts if isinstance(c.value, int | float)} == {
        '"$" #,##0.00'
    }
    pdf = PdfReader(
        io.BytesIO(client.get(reverse("actions:budget_pdf", args=[cast.acme.slug])).content)
    )
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "$17,600.00" in text
    assert "2026 Q2" in text


def test_money_reads_as_the_reader_and_the_company_expect(cast, as_user):
    from decimal import Decimal

    from django.utils import translation

    from safelane.core.money import money

    amount = Decimal("1234567.5")
    with translation.override("en"):
        assert money(amount, "USD", "US") == "$1,234,567.50"
        assert money(amount, "MXN", "MX") == "MX$1,234,567.50"
    with translation.override("es"):
        assert money(amount, "MXN", "MX") == "$1,234,567.50"  # as Mexico writes it
        assert money(amount, "EUR", "ES") == "1.234.567,50\xa0€"
        assert money(amount, "USD", "ZZ") == "1.234.567,50\xa0US$"  # no such country: Spanish
    assert money(None, "USD") == "—"


def test_the_budget_in_spanish_for_a_mexican_company(cast, as_user):
    costed(cast)
    client = as_user(cast.viewer)
    client.post(reverse("set_language"), {"language": "es"})
    html = client.get(reverse("actions:budget", args=[cast.acme.slug])).content.decode()
    assert "US$17,600.00" in html or "$17,600.00" in html
