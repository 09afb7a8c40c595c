"""Mapping in a browser: a contributor reads the demo's security manual from the library,
accepts a passage (the answer gains the evidence and a draft to rewrite), rejects another, and
reads the Spanish HR policy; on a phone the review is one column with its buttons in reach."""

import pytest

from safelane.demo.data import load_demo
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def read_from_library(page, title_words):
    page.fill("main input[name=q]", title_words)
    page.click("main form[role=search] button")
    page.click("main >> text=Read it")
    page.wait_for_url("**/mapping/*/")
    page.wait_for_selector("nav.tabs")  # the reading has finished (the task runs inline here)


def test_a_contributor_maps_the_manual_and_the_spanish_policy(page):
    load_demo()
    sign_in(page, "carla@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("nav.sidebar >> text=Map your documents")
    page.wait_for_url("**/mapping/")
    assert "No document read yet." in page.content()

    read_from_library(page, "Security Manual")
    assert "10 pages" in page.locator("#progress").inner_text()
    first = page.locator("article.proposal").first
    card = first.locator("xpath=ancestor::section[1]")
    ident = card.locator("h2 a").inner_text()
    first.locator("text=Accept").click()
    page.wait_for_selector("text=Accepted: the document is linked to the answer as evidence.")
    assert page.locator("article.proposal .badge", has_text="Accepted").count() == 1

    # The answer holds the document, and a draft to rewrite where it had no words of its own
    # (last year's answers carried into the demo's review keep theirs).
    page.locator("section.criterion-card h2 a", has_text=ident).first.click()
    page.wait_for_url("**/responses/*/")
    narrative = page.locator("textarea[name=narrative]").input_value()
    assert narrative.strip(), "a draft or the answer's own words"
    assert "Supply Chain Security Manual SCS-001" in page.locator("#evidence").inner_text()
    page.go_back()

    # In document order, a proposal rejected.
    page.click("nav.tabs >> text=In document order")
    pending = page.locator("article.proposal:not(.decided-accepted)").first
    pending.locator("text=Reject").click()
    page.wait_for_selector("text=Rejected.")
    assert page.locator("article.proposal .badge", has_text="Rejected").count() == 1
    assert "without a passage in this document" in page.content()

    # The Spanish HR policy finds the personnel-security criteria (category 11).
    page.click("text=Map your documents")
    read_from_library(page, "Recursos Humanos")
    idents = page.locator("section.criterion-card h2 a").all_inner_texts()
    while not any(i.startswith("11.") for i in idents) and page.locator("text=Next").count():
        page.click("nav.pagination >> text=Next")
        idents = page.locator("section.criterion-card h2 a").all_inner_texts()
    assert any(i.startswith("11.") for i in idents), idents
    page.click("text=Map your documents")
    assert "criteria no document covers yet" in page.content()

    # On a phone the review keeps one column and its buttons on screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.go_back()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert page.locator("article.proposal >> text=Accept").first.is_visible()
