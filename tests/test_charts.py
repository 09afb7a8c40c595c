"""Every chart draws in every language: the numbers in an SVG take a dot, never a decimal comma
(a browser and WeasyPrint drop a bar whose width reads "62,5"), on the page and in the PDF."""

import re

import pytest
from django.urls import reverse

from safelane.assessments.models import Status
from tests.actions.test_selectors import costed
from tests.factories import answer, importer_cycle
from tests.risk.builders import document, scored

SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
NUMERIC = re.compile(r'\b(x|y|x1|y1|x2|y2|dx|dy|width|height|rx|viewBox|opacity)="([^"]*)"')
SVG_NUMBER = re.compile(r"-?\d+(\.\d+)?|100%")


def chart_numbers(html):
    """Every number written into an attribute of the page's charts."""
    charts = SVG.findall(html)
    assert charts, "no chart on the page"
    return [
        value
        for chart in charts
        for tag in TAG.findall(chart)
        for _n, value in NUMERIC.findall(tag)
    ]


def assert_drawable(html):
    numbers = chart_numbers(html)
    refused = [v for v in numbers if not all(SVG_NUMBER.fullmatch(n) for n in v.split())]
    assert refused == []
    # The charts hold fractions, so a localised page would have shown commas here.
    assert any("." in v for v in numbers)


def in_language(client, language):
    client.post(reverse("set_language"), {"language": language})
    return client


@pytest.fixture
def captured_pdf_html(monkeypatch):
    """The HTML each PDF is printed from, instead of the PDF."""
    pages = []

    class Printer:
        def __init__(self, string):
            pages.append(string)

        def write_pdf(self):
            return b"%PDF-1.7"

    monkeypatch.setattr("weasyprint.HTML", Printer)
    return pages


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_self_assessment_chart_draws_in_every_language(cast, as_user, language):
    cycle = importer_cycle(cast)
    for ident, status in (("6.2", Status.MET), ("6.5", Status.PARTIAL), ("4.8", Status.NOT_MET)):
        answer(cast, cycle, ident, status)
    client = in_language(as_user(cast.viewer), language)
    assert_drawable(
        client.get(reverse("assessments:cycle", args=[cast.acme.slug, cycle.pk])).content.decode()
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_budget_charts_draw_in_every_language(cast, as_user, captured_pdf_html, language):
    costed(cast)
    client = in_language(as_user(cast.viewer), language)
    page = client.get(reverse("actions:budget", args=[cast.acme.slug])).content.decode()
    assert_drawable(page)
    client.get(reverse("actions:budget_pdf", args=[cast.acme.slug]))
    [pdf] = captured_pdf_html
    assert_drawable(pdf)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_risk_map_and_heat_map_draw_in_every_language(
    cast, as_user, captured_pdf_html, language
):
    a, _nodes = scored(cast)
    document(cast, a, participants="Olivia Ortega (COO)")
    client = in_language(as_user(cast.viewer), language)
    page = client.get(reverse("risk:detail", args=[cast.acme.slug, a.pk])).content.decode()
    client.get(reverse("risk:report_pdf", args=[cast.acme.slug, a.pk]))
    for html in (page, *captured_pdf_html):
        numbers = chart_numbers(html)
        assert all(SVG_NUMBER.fullmatch(n) for v in numbers for n in v.split()), numbers


def test_the_profile_pdf_chart_draws_for_a_spanish_reader(cast, as_user, captured_pdf_html):
    cycle = importer_cycle(cast)
    for ident, status in (("6.2", Status.MET), ("6.5", Status.PARTIAL), ("4.8", Status.NOT_MET)):
        answer(cast, cycle, ident, status)
    client = in_language(as_user(cast.viewer), "es")
    client.get(reverse("assessments:export_pdf", args=[cast.acme.slug, cycle.pk]))
    [pdf] = captured_pdf_html
    assert_drawable(pdf)
